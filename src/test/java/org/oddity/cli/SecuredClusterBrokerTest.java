package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.FlaggedEvent;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.LocalKafkaBroker;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.CellCounters;
import org.oddity.testing.CommittedTopic;
import org.oddity.testing.ScoringApps;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.Topics;

/**
 * oddity against a broker that requires authentication (SASL_PLAINTEXT, mechanism PLAIN): with
 * the right credentials, given as {@code kafka.*} settings, events are scored and flags written, by
 * the scoring application and by {@code oddity run}, whose output shows no password; with a wrong
 * password, {@code oddity publish-model} and {@code oddity run} stop with one line
 * saying so and naming the address, a non-zero exit code, and the password nowhere in their
 * output, log lines included (they run as the {@code oddity} executable does, in a JVM of their
 * own with oddity's logging configuration).
 */
@Tag("broker")
class SecuredClusterBrokerTest {

    private static final String USER = "daq-scorer";
    private static final String PASSWORD = "right-7Qk2";
    private static final String WRONG_PASSWORD = "wrong-Zx81";
    private static final int EVENTS = 20_000;
    private static final int RUN_EVENTS = 5_000;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    /** A status line of oddity run: events scored and flagged, with the digits grouped as the locale groups them. */
    private static final Pattern STATUS = Pattern.compile("^RUNNING: ([\\d\\p{Punct}\\s]+) events scored .*?, "
            + "([\\d\\p{Punct}\\s]+) flagged");

    private static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker(@TempDir Path dir) throws IOException {
        broker = LocalKafkaBroker.startRequiringLogin(dir.resolve("broker"), Duration.ofSeconds(120),
                Map.of(USER, PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** The JAAS config of a client logging in as the test's user with {@code password}. */
    private static String login(String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";";
    }

    @Test
    void theScoringApplicationScoresThroughTheSaslListener(@TempDir Path dir) throws Exception {
        String prefix = "secured-" + System.nanoTime() + ".";
        OdditySettings settings = ScoringApps.settings(broker.bootstrapServers(), prefix,
                "oddity-secured-" + System.nanoTime(), dir,
                "kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", login(PASSWORD));
        KafkaClientSettings cluster = KafkaClientSettings.of(settings.kafka());
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(cluster, topics.scoringTopics(2, settings.kafka().topicReplicationFactor()));
        CellCounters counters = ScoringApps.counters(settings);
        try (ScoringApplication app = ScoringApps.start(topics, settings, counters);
                EventPublisher publisher = new EventPublisher(cluster, topics.events().name())) {
            assertEquals(EVENTS, publisher.publish(TrainedBundle.events(EVENTS, 41), 0, topics.eventCodec()::encode,
                    () -> false));
            ScoringApps.await(app, () -> counters.totalEvents() == EVENTS,
                    () -> "every event scored: " + counters.totalEvents() + " of " + EVENTS);
            ScoringApps.await(app, () -> CommittedTopic.read(cluster, topics.anomalies()).size()
                    == counters.totalFlagged(), () -> "every flag written: " + CommittedTopic.read(cluster,
                            topics.anomalies()).size() + " of " + counters.totalFlagged());
        }
        List<FlaggedEvent> flags = CommittedTopic.read(cluster, topics.anomalies());
        double alpha = settings.calibration().workingPoints().loosest().alpha();
        System.out.printf("secured cluster: %,d events scored through SASL_PLAINTEXT/PLAIN, %,d flagged (%.2f%% at"
                + " alpha %.0e)%n", counters.totalEvents(), flags.size(), 100.0 * flags.size() / EVENTS, alpha);
        assertTrue(flags.size() > 0, "some events flagged");
        assertTrue(flags.stream().allMatch(f -> f.getPValue() <= alpha));
    }

    /**
     * {@code oddity run} as deployed: credentials from the environment and the settings, status
     * lines and logs with oddity's logging configuration, and no password anywhere in them.
     */
    @Test
    void oddityRunScoresThroughTheSaslListenerAndPrintsNoPassword(@TempDir Path dir) throws Exception {
        String prefix = "run-secured-" + System.nanoTime() + ".";
        Topics topics = Topics.withPrefix(prefix);
        KafkaClientSettings cluster = KafkaClientSettings.of(broker.bootstrapServers(), Map.of(
                "kafka.security.protocol", "SASL_PLAINTEXT", "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", login(PASSWORD)));
        Process run = launch(dir, PASSWORD, prefix, "run", "--create-topics", "--status-every", "1s", "--bundle",
                TrainedBundle.directory().toString());
        long flagged;
        try {
            await(run, dir, () -> TopicAdmin.missing(cluster, topics.scoringTopicNames()).isEmpty(), "its topics");
            try (EventPublisher publisher = new EventPublisher(cluster, topics.events().name())) {
                publisher.publish(TrainedBundle.events(RUN_EVENTS, 43), 0, topics.eventCodec()::encode, () -> false);
            }
            await(run, dir, () -> lastStatus(dir)[0] == RUN_EVENTS, "every event scored");
            flagged = lastStatus(dir)[1];
            await(run, dir, () -> CommittedTopic.read(cluster, topics.anomalies()).size() == flagged,
                    "its " + flagged + " flags committed");
        } finally {
            run.destroy();
            run.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            run.destroyForcibly();
        }
        String output = output(dir);
        System.out.printf("oddity run on the secured cluster: %,d events scored, %,d flagged; exit %d on SIGTERM%n",
                RUN_EVENTS, flagged, run.exitValue());
        assertTrue(flagged > 0, output);
        assertEquals(143, run.exitValue(), "a clean stop on SIGTERM: " + output);
        assertTrue(output.contains("scoring " + topics.events().name() + " with model"), output);
        assertFalse(output.contains(PASSWORD), output);
    }

    @Test
    void publishModelWithAWrongPasswordStopsInOneLineWithoutShowingIt(@TempDir Path dir) throws Exception {
        Result result = oddity(dir, WRONG_PASSWORD, "publish-model", "--skip-verify",
                TrainedBundle.directory().toString());
        assertRefusedInOneLine(result);
    }

    @Test
    void runWithAWrongPasswordStopsInOneLineWithoutShowingIt(@TempDir Path dir) throws Exception {
        Result result = oddity(dir, WRONG_PASSWORD, "run", "--create-topics", "--bundle",
                TrainedBundle.directory().toString());
        assertRefusedInOneLine(result);
    }

    /**
     * Credentials the admin client's checks pass with, but not Kafka Streams' consumers: the run
     * stops with the refusal as its line and exit code, not "stopped in state ERROR", nor
     * retrying; Kafka Streams logs its own errors around it.
     */
    @Test
    void runWhoseConsumersAreRefusedStopsWithTheRefusal(@TempDir Path dir) throws Exception {
        Result result = oddity(dir, PASSWORD, "run", "--create-topics", "--bundle",
                TrainedBundle.directory().toString(), "--set", "kafka.consumer.sasl.jaas.config="
                + login(WRONG_PASSWORD));
        List<String> odditys = result.output().lines().filter(line -> line.startsWith("oddity:")).toList();
        assertEquals(1, odditys.size(), result.output());
        assertTrue(odditys.get(0).startsWith("oddity: cannot use Kafka at " + broker.bootstrapServers()
                + ": authentication failed"), result.output());
        assertEquals(Oddity.EXIT_KAFKA, result.code(), result.output());
        assertFalse(result.output().contains(WRONG_PASSWORD), result.output());
        assertFalse(result.output().contains(PASSWORD), result.output());
        System.out.printf("consumers refused: exit %d after %.1f s, %d lines of output: %s%n", result.code(),
                result.seconds(), result.output().lines().count(), odditys.get(0));
    }

    /** Events scored and flagged by the last status line of the run launched in {@code dir}; -1s before one. */
    private static long[] lastStatus(Path dir) throws IOException {
        long[] last = {-1, -1};
        for (String line : output(dir).lines().toList()) {
            Matcher status = STATUS.matcher(line);
            if (status.find()) {
                last[0] = Long.parseLong(status.group(1).replaceAll("\\D", ""));
                last[1] = Long.parseLong(status.group(2).replaceAll("\\D", ""));
            }
        }
        return last;
    }

    /** Waits until {@code condition} holds; fails if the run stops first or after the command timeout. */
    private static void await(Process run, Path dir, Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (!condition.holds()) {
            assertTrue(run.isAlive(), "oddity run stopped while waiting for " + what + ": " + output(dir));
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + ": " + output(dir));
            Thread.sleep(200);
        }
    }

    /** A condition that may need the broker or the output file to tell. */
    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Exit code, the merged standard output and error, and how long the command took. */
    private record Result(int code, String output, double seconds) {
    }

    private static void assertRefusedInOneLine(Result result) {
        List<String> lines = result.output().lines().filter(line -> !line.isBlank()).toList();
        assertEquals(1, lines.size(), result.output());
        assertTrue(lines.get(0).startsWith("oddity: cannot use Kafka at " + broker.bootstrapServers()
                + ": authentication failed"), lines.get(0));
        assertEquals(Oddity.EXIT_KAFKA, result.code(), result.output());
        assertFalse(result.output().contains(WRONG_PASSWORD), result.output());
        System.out.printf("wrong password: exit %d after %.1f s: %s%n", result.code(), result.seconds(), lines.get(0));
    }

    /**
     * Runs {@code oddity ARGS} in a JVM of its own until it stops, on the broker, logging in with
     * {@code password}, on topics of a fresh prefix.
     */
    private static Result oddity(Path dir, String password, String... args) throws Exception {
        long start = System.nanoTime();
        Process process = launch(dir, password, "refused-" + System.nanoTime() + ".", args);
        try {
            assertTrue(process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "oddity " + args[0]
                    + " did not stop within " + COMMAND_TIMEOUT + "; output: " + output(dir));
        } finally {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), output(dir), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Starts {@code oddity ARGS} in a JVM of its own, as the executable runs (oddity's own logging
     * configuration, output to {@link #output}), on the broker's topics under {@code prefix},
     * logging in with {@code password}; the JAAS config comes from the environment, as a
     * deployment would give a secret.
     */
    private static Process launch(Path dir, String password, String prefix, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-Dlog4j2.configurationFile=log4j2.xml", "-cp",
                System.getProperty("java.class.path"), Oddity.class.getName()));
        command.addAll(List.of(args));
        command.addAll(List.of("--bootstrap-servers", broker.bootstrapServers(), "--work-dir", dir.toString(),
                "--set", "topics.prefix=" + prefix,
                "--set", "kafka.security.protocol=SASL_PLAINTEXT", "--set", "kafka.sasl.mechanism=PLAIN",
                "--set", "metrics.port=0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("output.txt").toFile());
        builder.environment().put("ODDITY_KAFKA_SASL_JAAS_CONFIG", login(password));
        return builder.start();
    }

    /** What the command launched in {@code dir} printed so far, standard output and error together. */
    private static String output(Path dir) throws IOException {
        return Files.readString(dir.resolve("output.txt"), StandardCharsets.UTF_8);
    }
}
