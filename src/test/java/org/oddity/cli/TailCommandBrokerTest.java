package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.kafka.TopicAdmin;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.KnownOutputs;
import org.oddity.topology.Topics;

/**
 * {@code oddity tail} on a real broker: known flagged events, alerts, dead letters and a window
 * summary come out as one JSON object per record, with the record's place and key and the Avro
 * fields as plain JSON; what an aborted transaction wrote does not; {@code --max} stops early,
 * {@code --follow} keeps reading until SIGTERM; an unknown topic, a bad TOPIC and an unreachable
 * broker are one line each.
 */
@Tag("broker")
class TailCommandBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Not UTF-8: a dead letter carries its input's key, whatever its bytes. */
    private static final byte[] BINARY_KEY = {(byte) 0xC3, (byte) 0x28};

    private static KafkaFixture kafka;
    private static String prefix;
    private static Topics topics;

    /** Exit code, standard output and standard error of one run. */
    private record Outcome(int code, String out, String err) {

        List<JsonNode> lines() {
            return out.lines().map(TailCommandBrokerTest::parse).toList();
        }

        String oneErrorLine() {
            String[] lines = err.strip().split("\\R");
            assertEquals(1, lines.length, err);
            return lines[0];
        }
    }

    @BeforeAll
    static void writeKnownRecords() throws Exception {
        kafka = KafkaFixture.shared();
        prefix = "tail-" + System.nanoTime() + ".";
        topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        String bootstrap = kafka.bootstrapServers();
        KnownOutputs.writeFlagsAndAnAbortedOne(bootstrap, topics.anomalies());
        KnownOutputs.write(bootstrap, topics.anomalies(), KnownOutputs.eventKeys(1003),
                List.of(KnownOutputs.flagged(1003, 5e-5, null)), false);
        KnownOutputs.writeAlerts(bootstrap, topics.alerts());
        List<DeadLetter> dead = List.of(
                KnownOutputs.deadLetter(FailureStage.DECODE, topics.events().name(), 17, KnownOutputs.utf8("7:99"),
                        new byte[] {0, (byte) 0xFF, 16}),
                KnownOutputs.deadLetter(FailureStage.VALIDATE, topics.events().name(), 18, BINARY_KEY, null));
        KnownOutputs.write(bootstrap, topics.deadLetters(), List.of(KnownOutputs.utf8("7:99"), BINARY_KEY), dead,
                false);
        KnownOutputs.write(bootstrap, topics.windowSummaries(), List.of(KnownOutputs.utf8("1767225600000000000|"
                + KnownOutputs.CELL)), List.of(KnownOutputs.windowSummary(1000, 12)), false);
    }


    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }

    /** Runs the {@code oddity} command line in this JVM, capturing its output. */
    private static Outcome oddity(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Oddity.execute(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    /** {@code oddity tail TOPIC} on the test broker, under the test's prefix, with {@code more} options. */
    private static Outcome tail(String topic, String... more) {
        return oddity(Stream.concat(Stream.of("tail", topic, "--bootstrap-servers", kafka.bootstrapServers(),
                "--set", "topics.prefix=" + prefix), Stream.of(more)).toArray(String[]::new));
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> lines) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode line : lines) {
            assertNull(out.put(line.get("key").asText(), line), "keys are unique");
        }
        return out;
    }

    /** The record's place: the topic tailed, a partition of two, an offset, the broker's append time. */
    private static void assertPlace(JsonNode line, String topic) {
        assertEquals(topic, line.get("topic").asText(), line.toString());
        assertTrue(line.get("partition").isInt() && line.get("partition").asInt() >= 0
                && line.get("partition").asInt() < 2, line.toString());
        assertTrue(line.get("offset").canConvertToLong() && line.get("offset").asLong() >= 0, line.toString());
        assertTrue(line.get("timestamp").asLong() > 1_700_000_000_000L, line.toString());
    }

    @Test
    void flaggedEventsAreJsonLinesWithTheSchemasFieldsAndNotWhatAnAbortedTransactionWrote() {
        Outcome outcome = tail("anomalies", "--from-beginning");
        assertEquals(0, outcome.code(), outcome.err());
        Map<String, JsonNode> lines = byKey(outcome.lines());
        assertEquals(List.of("7:1001", "7:1002", "7:1003"), lines.keySet().stream().sorted().toList());
        for (JsonNode line : lines.values()) {
            assertPlace(line, topics.anomalies().name());
            JsonNode value = line.get("value");
            List<String> fields = new ArrayList<>();
            value.fieldNames().forEachRemaining(fields::add);
            assertEquals(FlaggedEvent.getClassSchema().getFields().stream().map(f -> f.name()).toList(), fields);
            assertEquals(KnownOutputs.RUN, value.get("run").asLong());
            assertEquals(KnownOutputs.CELL, value.get("cell").asText());
            assertEquals("met_pt", value.get("topFeatures").get(0).get("feature").asText());
            assertEquals(3.5, value.get("topFeatures").get(0).get("contribution").asDouble());
        }
        JsonNode signal = lines.get("7:1002").get("value");
        assertEquals(1002, signal.get("event").asLong());
        assertEquals(10, signal.get("lumisection").asInt());
        assertEquals(1_767_225_600_000_001_002L, signal.get("timestampNanos").asLong());
        assertEquals(2e-4, signal.get("pValue").asDouble());
        assertTrue(signal.get("truth").isTextual(), "a union is its value, not {\"string\": ...}: " + signal);
        assertEquals("A_4l", signal.get("truth").asText());
        assertTrue(lines.get("7:1001").get("value").get("truth").isNull());
    }

    @Test
    void alertsHaveTheirStateAsAStringAndTheFeatureOrNull() {
        Outcome outcome = tail("alerts", "--from-beginning");
        assertEquals(0, outcome.code(), outcome.err());
        Map<String, JsonNode> lines = byKey(outcome.lines());
        assertEquals(2, lines.size(), outcome.out());
        JsonNode raised = lines.get("FLAG_RATE|" + KnownOutputs.CELL + "|").get("value");
        assertEquals("RAISED", raised.get("state").asText());
        assertTrue(raised.get("feature").isNull());
        assertEquals(4e-6, raised.get("correctedPValue").asDouble());
        JsonNode cleared = lines.get("FEATURE_SHIFT|" + KnownOutputs.CELL + "|met_pt").get("value");
        assertEquals("CLEARED", cleared.get("state").asText());
        assertEquals("met_pt", cleared.get("feature").asText());
        assertEquals("met_pt", cleared.get("topFeatures").get(0).asText());
        lines.values().forEach(line -> assertPlace(line, topics.alerts().name()));
    }

    @Test
    void deadLettersShowTheirOriginalBytesAsBase64AndTheirOwnPlaceApartFromTheInputs() {
        Outcome outcome = tail("dlq", "--from-beginning");
        assertEquals(0, outcome.code(), outcome.err());
        List<JsonNode> lines = outcome.lines();
        assertEquals(2, lines.size(), outcome.out());
        JsonNode decode = lines.stream().filter(l -> l.has("key")).findFirst().orElseThrow();
        assertEquals("7:99", decode.get("key").asText());
        assertPlace(decode, topics.deadLetters().name());
        assertEquals("DECODE", decode.get("value").get("stage").asText());
        assertEquals(topics.events().name(), decode.get("value").get("topic").asText());
        assertEquals(17, decode.get("value").get("offset").asLong());
        assertEquals("AP8Q", decode.get("value").get("originalValue").asText(), "bytes 00 FF 10 in base64");
        assertEquals("Nzo5OQ==", decode.get("value").get("originalKey").asText(), "7:99 in base64");
        JsonNode binary = lines.stream().filter(l -> l.has("keyBase64")).findFirst().orElseThrow();
        assertEquals("wyg=", binary.get("keyBase64").asText(), "a key that is not UTF-8 is base64");
        assertEquals("VALIDATE", binary.get("value").get("stage").asText());
        assertTrue(binary.get("value").get("originalValue").isNull());
    }

    @Test
    void windowSummariesByTheirFullTopicNameUnderAnyPrefixShowMapsAsObjects() {
        Outcome outcome = oddity("tail", topics.windowSummaries().name(), "--from-beginning",
                "--bootstrap-servers", kafka.bootstrapServers());
        assertEquals(0, outcome.code(), outcome.err());
        List<JsonNode> lines = outcome.lines();
        assertEquals(1, lines.size(), outcome.out());
        assertPlace(lines.get(0), topics.windowSummaries().name());
        JsonNode value = lines.get(0).get("value");
        assertEquals(1000, value.get("events").asLong());
        assertEquals(12, value.get("flaggedPerWorkingPoint").get("loose").asLong());
        assertEquals(999, value.get("featureHistograms").get("met_pt").get(0).asLong());
    }

    @Test
    void maxStopsAfterThatManyRecords() {
        Outcome outcome = tail("anomalies", "--from-beginning", "--max", "2");
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals(2, outcome.lines().size(), outcome.out());
        assertEquals(2, oddity("tail", "anomalies", "--max", "0").code(), "--max must be positive");
    }

    @Test
    void fromTheEndWithoutFollowPrintsNothingAndSaysWhy() {
        Outcome outcome = tail("anomalies");
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals("", outcome.out());
        assertTrue(outcome.oneErrorLine().startsWith("oddity: nothing to print from the end of "
                + topics.anomalies().name() + " without --follow"), outcome.err());
    }

    @Test
    void anUnknownTopicIsOneLine() {
        String other = "tail-none-" + System.nanoTime() + ".";
        Outcome outcome = oddity("tail", "alerts", "--from-beginning", "--bootstrap-servers",
                kafka.bootstrapServers(), "--set", "topics.prefix=" + other);
        assertEquals(1, outcome.code(), outcome.err());
        assertEquals("oddity: topic " + other + "oddity.alerts does not exist on " + kafka.bootstrapServers(),
                outcome.oneErrorLine());

        Outcome notOurs = tail("no-such-topic", "--from-beginning");
        assertEquals(2, notOurs.code(), notOurs.err());
        assertEquals("oddity: invalid setting TOPIC='no-such-topic': expected one of [anomalies, alerts, dlq,"
                + " window-summaries] or a full topic name: any prefix, then one of [daq.events, oddity.anomalies,"
                + " oddity.dlq, oddity.models, oddity.alerts, daq.calibration, oddity.calibration,"
                + " oddity.window-summaries]", notOurs.oneErrorLine());
    }

    @Test
    void anUnreachableBrokerIsOneLineWithExitCode4() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        Outcome outcome = oddity("tail", "anomalies", "--follow", "--bootstrap-servers", address);
        assertEquals(4, outcome.code(), outcome.err());
        assertTrue(outcome.oneErrorLine().startsWith("oddity: cannot use Kafka at " + address
                + ": no broker reachable (" + address + ": "), outcome.err());
    }

    /**
     * A child {@code oddity tail --follow} prints a record written after it caught up, and SIGTERM
     * (what Ctrl-C's SIGINT also does) stops it through the shutdown hook, cleanly: status 143 and
     * nothing on standard error.
     */
    @Test
    void followKeepsReadingUntilStopped(@TempDir Path dir) throws Exception {
        String own = "tail-follow-" + System.nanoTime() + ".";
        Topics followed = Topics.withPrefix(own);
        TopicAdmin.ensure(kafka.clientSettings(), followed.scoringTopics(2, 1));
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Oddity.class.getName(), "tail", "anomalies",
                "--from-beginning", "--follow", "--bootstrap-servers", kafka.bootstrapServers(),
                "--set", "topics.prefix=" + own).redirectError(stderr.toFile()).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (IOException | UncheckedIOException e) {
                // The child went away; the assertions below say what was missing.
            }
        }, "tail-follow-reader");
        reader.start();
        try {
            KnownOutputs.write(kafka.bootstrapServers(), followed.anomalies(), KnownOutputs.eventKeys(2001),
                    List.of(KnownOutputs.flagged(2001, 1e-3, null)), false);
            String first = lines.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(first, "the first record; stderr: " + Files.readString(stderr));
            assertEquals("7:2001", parse(first).get("key").asText());
            // Written after the child printed the first: only a reader that keeps following sees it.
            KnownOutputs.write(kafka.bootstrapServers(), followed.anomalies(), KnownOutputs.eventKeys(2002),
                    List.of(KnownOutputs.flagged(2002, 1e-3, null)), false);
            String second = lines.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertNotNull(second, "the record written later; stderr: " + Files.readString(stderr));
            assertEquals("7:2002", parse(second).get("key").asText());
            assertTrue(process.isAlive(), "--follow keeps running");
            process.destroy();
            assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "stopped on SIGTERM");
            assertEquals(143, process.exitValue(), "the JVM's status after SIGTERM once the hook let tail close");
            reader.join(TIMEOUT.toMillis());
            assertFalse(reader.isAlive());
            assertEquals(List.of(), List.copyOf(lines), "nothing more was printed");
            assertEquals("", Files.readString(stderr), "a clean stop says nothing");
        } finally {
            process.destroyForcibly();
        }
    }
}
