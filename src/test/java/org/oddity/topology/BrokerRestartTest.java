package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.LocalKafkaBroker;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.BadEventInjector;
import org.oddity.testing.RunOutputs;
import org.oddity.testing.ScoringApps;

/**
 * The broker killed with SIGKILL while the application drains a stream, and started again 5 s
 * later on the same ports and data: the application, under exactly-once, recovers by itself and
 * writes what an uninterrupted run on the same broker wrote (flags, dead letters, window counts).
 * Runs its own broker in a child JVM ({@link LocalKafkaBroker}), since the shared fixture's
 * broker cannot be killed.
 */
@Tag("broker")
@Tag("faults")
class BrokerRestartTest {

    private static final int EVENTS = 60_000;
    private static final double BAD_FRACTION = 0.002;
    private static final long EVENT_SEED = 601;
    private static final long INJECTOR_SEED = 602;
    private static final Duration DOWNTIME = Duration.ofSeconds(5);

    @Test
    void theApplicationRidesOutABrokerKilledAndRestartedMidStream(@TempDir Path dir) throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("broker"), Duration.ofSeconds(120))) {
            String servers = broker.bootstrapServers();
            KafkaClientSettings cluster = broker.clientSettings();
            Topics plain = publish(cluster, "uninterrupted.");
            Topics faulted = publish(cluster, "faulted.");
            long valid = EVENTS - TrainedBundle.badAmong(EVENTS, EVENT_SEED, BAD_FRACTION, INJECTOR_SEED);
            RunOutputs expected;
            OdditySettings first = ScoringApps.settings(servers, "uninterrupted.", "oddity-plain", dir.resolve("a"));
            try (ScoringApplication app = ScoringApps.start(plain, first, ScoringApps.counters(first))) {
                ScoringApps.await(app, () -> RunOutputs.read(cluster, plain).windowEvents() >= valid,
                        () -> "the uninterrupted run");
                expected = RunOutputs.read(cluster, plain);
            }
            OdditySettings second = ScoringApps.settings(servers, "faulted.", "oddity-faulted", dir.resolve("b"));
            CellCounters counters = ScoringApps.counters(second);
            RunOutputs outputs;
            long restarted;
            try (ScoringApplication app = ScoringApps.start(faulted, second, counters)) {
                ScoringApps.await(app, () -> counters.totalEvents() > EVENTS / 3, () -> "a third of the events scored");
                broker.killAndRestart(DOWNTIME, Duration.ofSeconds(120));
                restarted = System.nanoTime();
                ScoringApps.await(app, () -> RunOutputs.read(cluster, faulted).windowEvents() >= valid,
                        () -> "every event in a closed window: " + RunOutputs.read(cluster, faulted).windowEvents()
                                + " of " + valid);
                outputs = RunOutputs.read(cluster, faulted);
                assertFalse(app.stopped(), "the application stopped");
            }
            System.out.printf("broker restart: %,d records, broker killed and down %d s; all outputs %.0f s after it"
                            + " answered again; flagged %,d (uninterrupted %,d), duplicates %d, dead letters %s,"
                            + " events in windows %,d%n", EVENTS, DOWNTIME.toSeconds(),
                    (System.nanoTime() - restarted) / 1e9, outputs.flags().size(), expected.flags().size(),
                    outputs.duplicateFlags(), outputs.deadLettersByStage(), outputs.windowEvents());
            assertEquals(0, outputs.duplicateFlags(), "flagged events written twice");
            assertEquals(expected.flaggedIds(), outputs.flaggedIds());
            assertEquals(expected.deadLettersByStage(), outputs.deadLettersByStage());
            assertEquals(expected.windowCounts(), outputs.windowCounts(), () -> outputs.windowDifferences(expected));
        }
    }

    private static Topics publish(KafkaClientSettings cluster, String prefix) throws Exception {
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(cluster, topics.scoringTopics(2, 1));
        try (EventPublisher publisher = new EventPublisher(cluster, topics.events().name())) {
            publisher.publish(TrainedBundle.events(EVENTS, EVENT_SEED), 0,
                    new BadEventInjector(topics.eventCodec()::encode, BAD_FRACTION, INJECTOR_SEED), () -> false);
        }
        return topics;
    }
}
