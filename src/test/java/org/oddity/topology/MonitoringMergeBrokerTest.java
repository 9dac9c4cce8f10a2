package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.BadEventInjector;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.ScoringApps;

/**
 * The monitoring merge on a real broker: two instances of one application, each with two
 * stream threads, share four event partitions; their tasks' partial window summaries are merged
 * by the one monitor task, and the events in the windows it tests add up to every event sent.
 */
@Tag("broker")
class MonitoringMergeBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int EVENTS = 30_000;

    @Test
    void mergedWindowsCountEveryEventOfEveryTaskOnce(@TempDir Path dir) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "merge-" + System.nanoTime() + ".";
        String applicationId = "oddity-merge-" + System.nanoTime();
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(4, 1));
        OdditySettings first = ScoringApps.settings(kafka.bootstrapServers(), prefix,
                applicationId, dir.resolve("a"), "streams.threads",
                "2");
        OdditySettings second = ScoringApps.settings(kafka.bootstrapServers(), prefix,
                applicationId, dir.resolve("b"), "streams.threads",
                "2");
        CellCounters a = ScoringApps.counters(first);
        CellCounters b = ScoringApps.counters(second);
        BadEventInjector injector = new BadEventInjector(topics.eventCodec()::encode, 0.01, 5);

        try (ScoringApplication one = ScoringApps.start(topics, first, a);
                ScoringApplication two = ScoringApps.start(topics, second, b);
                EventPublisher publisher = new EventPublisher(kafka.clientSettings(), topics.events().name())) {
            // The second instance joins after the first took every partition: wait for the rebalance to share them.
            // The second instance joins after the first took every partition: wait until the rebalance has shared
            // the events and placed the one monitor task, so that no task moves while the events are counted.
            await(one, two, () -> eventPartitions(one, topics) > 0 && eventPartitions(two, topics) > 0
                    && eventPartitions(one, topics) + eventPartitions(two, topics) == 4
                    && summaryPartitions(one, topics) + summaryPartitions(two, topics) == 1,
                    () -> "both instances to own events: " + one.assignedPartitions() + " and " + two.assignedPartitions());
            assertEquals(EVENTS, publisher.publish(TrainedBundle.events(EVENTS, 131), 0, injector, () -> false));
            long scored = EVENTS - injector.injected();
            await(one, two, () -> a.totalEvents() + b.totalEvents() == scored, () -> "every event scored");
            assertTrue(a.totalEvents() > 0 && b.totalEvents() > 0, "both instances scored: " + a.totalEvents()
                    + " and " + b.totalEvents());
            // Both idle flushes (the tasks', then the monitor's) pass before the last windows are tested.
            await(one, two, () -> a.eventsTested() + b.eventsTested() == scored, () -> "every event in a tested"
                    + " window: " + a.eventsTested() + " + " + b.eventsTested() + " of " + scored + " in "
                    + a.windowsTested() + " + " + b.windowsTested() + " windows, late summaries " + a.lateSummaries()
                    + " + " + b.lateSummaries() + ", failures " + (a.monitorFailures() + b.monitorFailures())
                    + "; partitions " + one.assignedPartitions() + " and " + two.assignedPartitions());
            assertEquals(0, a.lateSummaries() + b.lateSummaries());
            assertEquals(0, a.monitorFailures() + b.monitorFailures());
            assertTrue(a.windowsTested() == 0 || b.windowsTested() == 0, "one monitor task tests the windows");
            assertTrue(a.windowsTested() + b.windowsTested() > 100, "windows tested: "
                    + (a.windowsTested() + b.windowsTested()));
        }
    }

    private static long summaryPartitions(ScoringApplication app, Topics topics) {
        return app.assignedPartitions().stream().filter(p -> p.topic().equals(topics.windowSummaries().name())).count();
    }

    private static long eventPartitions(ScoringApplication app, Topics topics) {
        return app.assignedPartitions().stream().filter(p -> p.topic().equals(topics.events().name())).count();
    }

    private static void await(ScoringApplication one, ScoringApplication two, BooleanSupplier condition,
            Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(one.stopped() || two.stopped(), "an application stopped");
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for " + what.get());
            Thread.sleep(50);
        }
    }
}
