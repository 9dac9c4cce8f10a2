package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.KafkaUnavailableException;
import org.oddity.kafka.TopicAdmin;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.BadEventInjector;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.Scenario;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.RunOutputs;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.Topics;

/**
 * {@code oddity run} killed with SIGKILL five times while it drains a stream, and restarted at
 * once each time, on a real broker; and stopped cleanly once and started again, as for an
 * upgrade. The stream has missing-energy noise in its middle third, so the monitor raises an
 * alert, keeps it for a while and clears it. The outputs, read with read_committed, are compared
 * with those of an uninterrupted run of the same application on the same input: under
 * exactly-once the same flagged events, dead letters, window counts and alerts, none written
 * twice; under at-least-once no flagged event lost, the duplicates counted. Each restart's gap
 * to the next flagged event is measured. The figures are printed as one line per run, the source
 * of the crash and upgrade rows in docs/reliability.md.
 */
@Tag("broker")
@Tag("faults")
class CrashRecoveryProcessTest {

    private static final int EVENTS = 60_000;
    private static final double BAD_FRACTION = 0.002;
    private static final long SEED = 307;
    private static final int KILLS = 5;
    private static final Path SCENARIO = Path.of("scenarios/noisy-met.yaml");
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    private static KafkaFixture kafka;
    private static Admin admin;
    private static RunOutputs reference;

    @BeforeAll
    static void runUninterrupted(@TempDir Path dir) throws Exception {
        kafka = KafkaFixture.shared();
        admin = Admin.create(kafka.adminConfig());
        Topics topics = publish("reference-" + System.nanoTime() + ".");
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(),
                settings(topics, "oddity-reference-" + System.nanoTime(), dir, "exactly_once_v2")));
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        try (ScoringApplication app = ScoringApplication.start(topics, settings, new ActiveModel(
                TrainedBundle.model(settings), counters, 0), counters, ScoringLatencies.of(settings.metrics()),
                new SimpleMeterRegistry())) {
            long valid = EVENTS - TrainedBundle.badAmong(EVENTS, SEED, BAD_FRACTION, SEED);
            await(() -> counters.eventsTested() == valid || app.stopped(), () -> "the uninterrupted run to test every"
                    + " event: " + counters.eventsTested() + " of " + valid);
            assertTrue(!app.stopped(), "the uninterrupted run stopped");
        }
        reference = RunOutputs.read(kafka.clientSettings(), topics);
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    @Test
    void exactlyOnceKilledFiveTimesWritesWhatAnUninterruptedRunWrites(@TempDir(cleanup = CleanupMode.ON_SUCCESS)
            Path dir) throws Exception {
        RunOutputs crashed = interruptedRun(dir, "exactly_once_v2", KILLS, true);
        assertEquals(0, crashed.duplicateFlags(), "flagged events written twice");
        assertEquals(reference.flaggedIds(), crashed.flaggedIds(), "the same events flagged");
        assertEquals(reference.deadLettersByStage(), crashed.deadLettersByStage());
        assertEquals(reference.windowCounts(), crashed.windowCounts(), "the same counts in every window and cell");
        assertEquals(reference.alerts(), crashed.alerts(), "the same alerts");
        assertEquals(0, crashed.duplicateAlerts(), "alerts written twice");
    }

    @Test
    void aCleanStopAndStartKeepsTheStateAndRaisesNoAlertTwice(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        assertTrue(reference.alerts().stream().anyMatch(a -> a.contains("/ONGOING/")),
                "the noise raises an alert that is still open at half time: " + reference.alerts());
        RunOutputs upgraded = interruptedRun(dir, "exactly_once_v2", 1, false);
        assertEquals(0, upgraded.duplicateFlags(), "flagged events written twice");
        assertEquals(reference.flaggedIds(), upgraded.flaggedIds(), "the same events flagged");
        assertEquals(reference.windowCounts(), upgraded.windowCounts(), "the same counts in every window and cell");
        assertEquals(reference.alerts(), upgraded.alerts(), "the same alerts");
        assertEquals(0, upgraded.duplicateAlerts(), "alerts written twice");
    }

    @Test
    void atLeastOnceKilledFiveTimesLosesNothing(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        RunOutputs crashed = interruptedRun(dir, "at_least_once", KILLS, true);
        Set<String> missing = new HashSet<>(reference.flaggedIds());
        missing.removeAll(crashed.flaggedIds());
        assertEquals(Set.of(), missing, "flagged events lost");
        assertEquals(reference.flaggedIds(), crashed.flaggedIds(), "no event flagged that was not");
        assertTrue(crashed.windowEvents() >= reference.windowEvents(), "window counts lost: " + crashed.windowEvents()
                + " counted, " + reference.windowEvents() + " uninterrupted");
    }

    /**
     * Runs {@code oddity run} on a fresh copy of the input, stopping it {@code stops} times, at
     * even intervals, with SIGKILL if {@code kill} or else with SIGTERM (waiting for a clean exit),
     * and starting it again at once each time; returns its outputs.
     */
    private static RunOutputs interruptedRun(Path dir, String guarantee, int stops, boolean kill) throws Exception {
        Topics topics = publish(guarantee + "-" + System.nanoTime() + ".");
        String applicationId = "oddity-crash-" + System.nanoTime();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx768m", "-cp", System.getProperty("java.class.path"), Oddity.class.getName(), "run",
                "--status-every", "1s"));
        settings(topics, applicationId, dir, guarantee).forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        List<Double> gaps = new ArrayList<>();
        int life = 0;
        Process process = start(builder, dir, life);
        try {
            for (int stop = 1; stop <= stops; stop++) {
                long target = (long) stop * EVENTS / (stops + 1);
                Process running = process;
                await(() -> committed(applicationId, topics) >= target || !running.isAlive(),
                        () -> "offsets committed past " + target + ": " + committed(applicationId, topics));
                assertTrue(running.isAlive(), "oddity run ended by itself; see " + log(dir, life));
                if (kill) {
                    process.destroyForcibly().waitFor();
                } else {
                    process.destroy();
                    assertTrue(process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "oddity run stopped on SIGTERM");
                    // 143 is the JVM's status after SIGTERM, once the shutdown hook let the run close everything.
                    assertEquals(143, process.exitValue(), "exit status after SIGTERM; see " + log(dir, life));
                }
                long atKill = committed(applicationId, topics);
                long restarted = System.nanoTime();
                process = start(builder, dir, ++life);
                long flagsAtKill = written(topics);
                if (atKill < EVENTS) {
                    await(() -> written(topics) > flagsAtKill, () -> "a flagged event written after the restart");
                    gaps.add((System.nanoTime() - restarted) / 1e9);
                }
            }
            await(() -> committed(applicationId, topics) == EVENTS, () -> "every event committed: "
                    + committed(applicationId, topics));
            long valid = EVENTS - TrainedBundle.badAmong(EVENTS, SEED, BAD_FRACTION, SEED);
            await(() -> RunOutputs.read(kafka.clientSettings(), topics).windowEvents() >= valid,
                    () -> "every event in a closed window: " + RunOutputs.read(kafka.clientSettings(), topics)
                            .windowEvents() + " of " + valid + "; windows that differ: "
                            + RunOutputs.read(kafka.clientSettings(), topics).windowDifferences(reference));
            // The monitor tests the last windows once the summaries have been quiet for monitor.idle-flush.
            await(() -> RunOutputs.read(kafka.clientSettings(), topics).alertRecords().size()
                    >= reference.alertRecords().size(), () -> "the alerts of every window: " + RunOutputs.read(
                            kafka.clientSettings(), topics).alertRecords().size() + " of "
                    + reference.alertRecords().size());
        } finally {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
            process.destroyForcibly();
        }
        RunOutputs outputs = RunOutputs.read(kafka.clientSettings(), topics);
        System.out.printf("%s %s: %,d records (%,d bad), %d stops, restart to next flag %s s;"
                        + " flagged %,d (uninterrupted %,d), lost %d, duplicates %d, dead letters %s,"
                        + " events in windows %,d (uninterrupted %,d), alerts %d (uninterrupted %d, duplicates %d)%n",
                kill ? "SIGKILL" : "SIGTERM", guarantee, EVENTS, TrainedBundle.badAmong(EVENTS, SEED, BAD_FRACTION,
                        SEED), stops, gaps.stream().map(g -> String.format("%.1f", g)).toList(),
                outputs.flags().size(), reference.flags().size(), lost(outputs), outputs.duplicateFlags(),
                outputs.deadLettersByStage(), outputs.windowEvents(), reference.windowEvents(),
                outputs.alertRecords().size(), reference.alertRecords().size(), outputs.duplicateAlerts());
        return outputs;
    }

    private static long lost(RunOutputs outputs) {
        Set<String> missing = new HashSet<>(reference.flaggedIds());
        missing.removeAll(outputs.flaggedIds());
        return missing.size();
    }

    private static Process start(ProcessBuilder builder, Path dir, int life) throws Exception {
        return builder.redirectOutput(log(dir, life).toFile()).start();
    }

    private static Path log(Path dir, int life) {
        return dir.resolve("run-" + life + ".log");
    }

    private static Map<String, String> settings(Topics topics, String applicationId, Path dir, String guarantee) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "model.bundle", TrainedBundle.directory().toString(),
                "application.id", applicationId,
                "topics.prefix", topics.events().name().replace("daq.events", ""),
                "work.dir", dir.resolve("work").toString(),
                "streams.processing-guarantee", guarantee,
                "monitor.idle-flush", "2s",
                "metrics.port", "0"));
        if (guarantee.equals("at_least_once")) {
            // Kafka's 30 s would let the whole input be scored between two commits, and so between two kills.
            settings.put("streams.commit-interval", "200ms");
        }
        return settings;
    }

    /** Creates the topics of {@code prefix} and publishes the test's input to its events topic. */
    private static Topics publish(String prefix) throws IOException, KafkaUnavailableException {
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        try (EventPublisher publisher = new EventPublisher(kafka.clientSettings(), topics.events().name())) {
            // badAmong counts the bad records of any stream of EVENTS: the injector draws the same for every event.
            publisher.publish(new DaqSimulator(Scenario.read(SCENARIO).plan(EVENTS), SEED), 0,
                    new BadEventInjector(topics.eventCodec()::encode, BAD_FRACTION, SEED), () -> false);
        }
        return topics;
    }

    private static long committed(String applicationId, Topics topics) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topics.events().name()))
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Flagged-event records written so far, committed or not: the sum of the anomalies topic's end offsets. */
    private static long written(Topics topics) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(topics.anomalies().name(), p), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for " + what.get());
            Thread.sleep(20);
        }
    }
}
