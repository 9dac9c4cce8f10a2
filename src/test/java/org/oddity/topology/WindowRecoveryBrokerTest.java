package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.CellCounters;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.ScoringApps;

/**
 * A scoring task's open windows survive its task moving: on a real broker, under exactly-once,
 * the events in the windows the monitor tests add up to exactly the events scored, when the
 * application is stopped and started again between two halves of a stream (an upgrade), and
 * when a second instance joins and leaves while events flow (two rebalances). Without the
 * task-windows store, the open windows' counts were lost at each stop and each move.
 */
@Tag("broker")
@Tag("faults")
class WindowRecoveryBrokerTest {


    @Test
    void aRestartKeepsTheOpenWindows(@TempDir Path dir) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "restart-" + System.nanoTime() + ".";
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        OdditySettings settings = ScoringApps.settings(kafka.bootstrapServers(), prefix,
                "oddity-restart-" + System.nanoTime(),
                dir.resolve("a"));
        CellCounters counters = ScoringApps.counters(settings);
        Iterator<CollisionEvent> events = TrainedBundle.events(20_000, 211);
        try (EventPublisher publisher = new EventPublisher(kafka.clientSettings(), topics.events().name())) {
            try (ScoringApplication first = ScoringApps.start(topics, settings, counters)) {
                publisher.publish(limit(events, 10_000), 0, topics.eventCodec()::encode, () -> false);
                ScoringApps.await(first, () -> counters.totalEvents() == 10_000, () -> "first half scored: "
                        + counters.totalEvents());
            }
            long testedBeforeRestart = counters.eventsTested();
            assertTrue(testedBeforeRestart < 10_000, "windows left open at the stop: " + testedBeforeRestart);
            try (ScoringApplication second = ScoringApps.start(topics, settings, counters)) {
                publisher.publish(events, 0, topics.eventCodec()::encode, () -> false);
                ScoringApps.await(second, () -> counters.eventsTested() == 20_000, () -> "every event in a tested window: "
                        + counters.eventsTested() + " of " + counters.totalEvents() + " scored");
            }
        }
        assertEquals(20_000, counters.totalEvents());
        assertEquals(0, counters.lateSummaries() + counters.monitorFailures());
    }

    @Test
    void aSecondInstanceJoiningAndLeavingMidStreamLosesAndRecountsNothing(@TempDir Path dir) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "rebalance-" + System.nanoTime() + ".";
        String applicationId = "oddity-rebalance-" + System.nanoTime();
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(4, 1));
        OdditySettings first = ScoringApps.settings(kafka.bootstrapServers(), prefix, applicationId, dir.resolve("a"));
        OdditySettings second = ScoringApps.settings(kafka.bootstrapServers(), prefix, applicationId, dir.resolve("b"));
        CellCounters a = ScoringApps.counters(first);
        CellCounters b = ScoringApps.counters(second);
        int total = 40_000;
        try (ScoringApplication one = ScoringApps.start(topics, first, a);
                EventPublisher publisher = new EventPublisher(kafka.clientSettings(), topics.events().name())) {
            ScoringApps.await(one, () -> one.assignedPartitions().size() == 5, () -> "first instance running");
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> publisher.publish(
                    TrainedBundle.events(total, 223), 4_000, topics.eventCodec()::encode, () -> false));
            ScoringApps.await(one, () -> a.totalEvents() > 5_000, () -> "events flowing");
            try (ScoringApplication two = ScoringApps.start(topics, second, b)) {
                ScoringApps.await(two, () -> b.totalEvents() > 2_000, () -> "second instance scoring: " + b.totalEvents());
            }
            long scoredByTwo = b.totalEvents();
            assertEquals(total, sent.get());
            ScoringApps.await(one, () -> a.totalEvents() + scoredByTwo >= total, () -> "every event scored: "
                    + (a.totalEvents() + scoredByTwo));
            ScoringApps.await(one, () -> a.eventsTested() + b.eventsTested() >= total, () -> "every event in a tested window: "
                    + (a.eventsTested() + b.eventsTested()));
            // A last second for a recount to show, had there been one.
            Thread.sleep(1_000);
            assertEquals(total, a.totalEvents() + b.totalEvents(), "each event scored once");
            assertEquals(total, a.eventsTested() + b.eventsTested(), "each event counted once in a tested window");
            assertEquals(0, a.lateSummaries() + b.lateSummaries() + a.monitorFailures() + b.monitorFailures());
        }
    }

    private static Iterator<CollisionEvent> limit(Iterator<CollisionEvent> events, int count) {
        return new Iterator<>() {
            private int left = count;

            @Override
            public boolean hasNext() {
                return left > 0 && events.hasNext();
            }

            @Override
            public CollisionEvent next() {
                left--;
                return events.next();
            }
        };
    }
}
