package org.oddity.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.AlertState;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FlaggedEvent;
import org.oddity.kafka.TopicAdmin;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.KnownOutputs;
import org.oddity.topology.AvroSerde;
import org.oddity.topology.Topic;
import org.oddity.topology.Topics;

/**
 * {@code examples/python/consume.py} under Debian's {@code /usr/bin/python3} with
 * python3-confluent-kafka and python3-avro, on a real broker: it names the known flagged events
 * and alerts written there, checks the schema fingerprint (a record of another schema is skipped
 * with both fingerprints named, so the script's CRC-64-AVRO is Java's), reads committed records
 * only, stops at {@code --max}, and says in one line that Kafka is unreachable. Skipped where that
 * Python or those packages are missing.
 */
@Tag("broker")
class PythonConsumerBrokerTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final Path SCRIPT = Path.of("examples", "python", "consume.py").toAbsolutePath();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static KafkaFixture kafka;
    private static String prefix;
    private static Topics topics;

    /** Why the script cannot run here, or null if it can: asked once, each test is skipped with it. */
    private static String missing;

    /** Exit code, standard output and standard error of one run of the script. */
    private record Outcome(int code, String out, String err) {
    }

    @BeforeAll
    static void writeKnownRecordsWherePythonCanReadThem() throws Exception {
        missing = pythonProblem();
        if (missing != null) {
            return;
        }
        kafka = KafkaFixture.shared();
        prefix = "python-" + System.nanoTime() + ".";
        topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        String bootstrap = kafka.bootstrapServers();
        KnownOutputs.writeFlagsAndAnAbortedOne(bootstrap, topics.anomalies());
        // An alert on the anomalies topic: the right marker, another schema's fingerprint.
        DriftAlert misplaced = KnownOutputs.alert("MISPLACED", AlertState.RAISED, null);
        KnownOutputs.write(bootstrap, new Topic<>(topics.anomalies().name(), Serdes.ByteArray(),
                AvroSerde.of(DriftAlert.class)), KnownOutputs.eventKeys(1500), List.of(misplaced), false);
        KnownOutputs.write(bootstrap, topics.anomalies(), KnownOutputs.eventKeys(1003),
                List.of(KnownOutputs.flagged(1003, 5e-5, null)), false);
        KnownOutputs.writeAlerts(bootstrap, topics.alerts());
    }

    /** What keeps {@value #PYTHON} from running the script, or null. */
    private static String pythonProblem() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return PYTHON + " is missing";
        }
        Process check = new ProcessBuilder(PYTHON, "-c", "import confluent_kafka, avro.io, avro.schema")
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!check.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) || check.exitValue() != 0) {
            return "python3-confluent-kafka or python3-avro is missing: " + output.strip();
        }
        return null;
    }

    @BeforeEach
    void needsPythonWithThePackages() {
        assumeTrue(missing == null, () -> missing + " (apt-get install python3-confluent-kafka python3-avro)");
    }


    private static Outcome consume(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "consume.py ended by itself; stderr: "
                    + Files.readString(err));
        } finally {
            process.destroyForcibly();
        }
        return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String fingerprint(Schema schema) {
        return String.format("%016x", SchemaNormalization.parsingFingerprint64(schema));
    }

    @Test
    void printsTheFlaggedEventsAndAlertsAndSkipsARecordOfAnotherSchema(@TempDir Path dir) throws Exception {
        Outcome outcome = consume(dir, "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", prefix,
                "--from-beginning");
        assertEquals(0, outcome.code(), outcome.err());
        List<String> lines = outcome.out().lines().sorted().toList();
        assertEquals(5, lines.size(), outcome.out());
        List<String> anomalies = lines.stream().filter(l -> l.startsWith("anomaly ")).toList();
        assertEquals(3, anomalies.size(), outcome.out());
        assertTrue(anomalies.get(0).startsWith("anomaly 7:1001 lumisection 10 cell " + KnownOutputs.CELL
                + " p=0.001 (loose, calibrated on " + KnownOutputs.CELL + ", n=20000) score=12.5 model l1-hbos"
                + " hbos-test top [met_pt 3.5]"), anomalies.get(0));
        assertTrue(anomalies.get(1).startsWith("anomaly 7:1002 ") && anomalies.get(1).endsWith(" truth=A_4l"),
                anomalies.get(1));
        assertTrue(anomalies.get(2).startsWith("anomaly 7:1003 ") && anomalies.get(2).contains(" p=5e-05 "),
                anomalies.get(2));
        List<String> alertLines = lines.stream().filter(l -> l.startsWith("alert ")).toList();
        assertEquals(List.of("alert CLEARED FEATURE_SHIFT cell " + KnownOutputs.CELL + " feature met_pt corrected"
                        + " p=4e-06 lumisections 7:3-7:3: FEATURE_SHIFT CLEARED",
                "alert RAISED FLAG_RATE cell " + KnownOutputs.CELL + " corrected p=4e-06 lumisections 7:3-7:3:"
                        + " FLAG_RATE RAISED"), alertLines);
        String[] errors = outcome.err().strip().split("\\R");
        assertEquals(1, errors.length, outcome.err());
        assertTrue(errors[0].startsWith("consume.py: skipped " + topics.anomalies().name() + "-"), errors[0]);
        assertTrue(errors[0].endsWith(": written with schema " + fingerprint(DriftAlert.getClassSchema())
                + ", not FlaggedEvent (" + fingerprint(FlaggedEvent.getClassSchema()) + ")"), errors[0]);
    }

    @Test
    void stopsAfterMaxRecords(@TempDir Path dir) throws Exception {
        Outcome outcome = consume(dir, "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix", prefix,
                "--from-beginning", "--max", "2");
        assertEquals(0, outcome.code(), outcome.err());
        assertEquals(2, outcome.out().lines().count(), outcome.out());
    }

    @Test
    void missingTopicsAndAnUnreachableBrokerAreOneLine(@TempDir Path dir) throws Exception {
        Outcome missing = consume(dir, "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prefix",
                "python-none-" + System.nanoTime() + ".", "--from-beginning");
        assertEquals(1, missing.code(), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("consume.py: topics ["), missing.err());

        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        Outcome unreachable = consume(dir, "--bootstrap-servers", address, "--from-beginning", "--timeout", "2");
        assertEquals(1, unreachable.code(), unreachable.err());
        assertEquals(1, unreachable.err().strip().lines().count(), unreachable.err());
        assertTrue(unreachable.err().startsWith("consume.py: cannot reach Kafka at " + address + ": "),
                unreachable.err());
    }
}
