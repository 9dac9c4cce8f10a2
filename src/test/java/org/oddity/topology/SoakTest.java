package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.pipeline.CellCounters;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.ScoringApps;

/**
 * A long run at a steady rate on a real broker: heap after collection, resident memory and the
 * backlog (events sent but not yet scored) sampled every 10 s. Memory must stay flat and the
 * backlog must not grow. Not part of the default test run (tag {@code soak}): run it with
 * {@code mvn verify -Dgroups=soak -DexcludedGroups= -Dsoak.minutes=30 -Dsoak.rate=20000}; it prints
 * one line per sample and a summary, the source of the soak row in docs/reliability.md. The broker,
 * the publisher and the application share this JVM, so resident memory counts all three.
 */
@Tag("soak")
class SoakTest {

    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

    @Test
    void memoryStaysFlatAndTheBacklogDoesNotGrow(@TempDir Path dir) throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "30"));
        double rate = Double.parseDouble(System.getProperty("soak.rate", "20000"));
        long total = (long) (minutes * 60 * rate);
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "soak-" + System.nanoTime() + ".";
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(2, 1));
        OdditySettings settings = ScoringApps.settings(kafka.bootstrapServers(), prefix,
                "oddity-soak-" + System.nanoTime(), dir);
        CellCounters counters = ScoringApps.counters(settings);
        List<long[]> samples = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        try (ScoringApplication app = ScoringApps.start(topics, settings, counters);
                EventPublisher publisher = new EventPublisher(kafka.clientSettings(), topics.events().name())) {
            CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> publisher.publish(
                    TrainedBundle.events((int) Math.min(total, Integer.MAX_VALUE), 503), rate,
                    topics.eventCodec()::encode, stop::get));
            long started = System.nanoTime();
            System.out.println("soak: seconds, heap after GC MB, RSS MB, events sent, events scored, backlog");
            while (!sent.isDone()) {
                Thread.sleep(SAMPLE_EVERY.toMillis());
                assertFalse(app.stopped(), "the application stopped");
                long[] s = {(System.nanoTime() - started) / 1_000_000_000L, heapAfterGc() >> 20, rss() >> 20,
                        publisher.sent(), counters.totalEvents() + counters.totalDeadLetters()};
                samples.add(s);
                System.out.printf("soak: %d, %d, %d, %d, %d, %d%n", s[0], s[1], s[2], s[3], s[4], s[3] - s[4]);
            }
            stop.set(true);
            sent.get();
        }
        assertTrue(samples.size() >= 6, "too short a soak to judge: " + samples.size() + " samples");
        int third = samples.size() / 3;
        double heapFirst = mean(samples.subList(0, third), 1);
        double heapLast = mean(samples.subList(samples.size() - third, samples.size()), 1);
        double rssFirst = mean(samples.subList(0, third), 2);
        double rssLast = mean(samples.subList(samples.size() - third, samples.size()), 2);
        long backlogFirst = samples.subList(0, third).stream().mapToLong(s -> s[3] - s[4]).max().orElse(0);
        long backlogLast = samples.subList(samples.size() - third, samples.size()).stream()
                .mapToLong(s -> s[3] - s[4]).max().orElse(0);
        System.out.printf("soak summary: %.0f min at %.0f events/s, %d samples; heap after GC %.0f -> %.0f MB (mean of"
                        + " first and last third), RSS %.0f -> %.0f MB, largest backlog %d -> %d events%n", minutes,
                rate, samples.size(), heapFirst, heapLast, rssFirst, rssLast, backlogFirst, backlogLast);
        // Flat: the last third within a fifth (and 32 MB) of the first; the backlog within two seconds of events.
        assertTrue(heapLast <= heapFirst * 1.2 + 32, "heap grew: " + heapFirst + " -> " + heapLast + " MB");
        assertTrue(rssLast <= rssFirst * 1.2 + 64, "resident memory grew: " + rssFirst + " -> " + rssLast + " MB");
        assertTrue(backlogLast <= Math.max(backlogFirst, 2 * rate), "backlog grew: " + backlogFirst + " -> "
                + backlogLast);
    }

    private static double mean(List<long[]> samples, int column) {
        return samples.stream().mapToLong(s -> s[column]).average().orElse(0);
    }

    /** Heap in use after the last collection, summed over the heap pools. */
    private static long heapAfterGc() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                bytes += pool.getCollectionUsage().getUsed();
            }
        }
        return bytes;
    }

    /** Resident set size of this process, from /proc. */
    private static long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }
}
