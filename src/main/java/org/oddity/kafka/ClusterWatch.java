package org.oddity.kafka;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches whether the cluster takes connections while oddity runs, and says so once when it
 * stops and once when it is back. Kafka's clients retry on their own, with backoff; they also
 * warn at every attempt, which oddity's logging configuration filters out, so that an outage is
 * two lines, not one per client per second.
 */
public final class ClusterWatch implements AutoCloseable {

    private final String bootstrapServers;
    private final PrintStream out;
    private final ScheduledExecutorService timer;
    private long unreachableSinceNanos = -1;

    private ClusterWatch(String bootstrapServers, PrintStream out) {
        this.bootstrapServers = bootstrapServers;
        this.out = out;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oddity-cluster-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Probes {@code bootstrapServers} every {@code every}, printing each change of reachability to {@code out}. */
    public static ClusterWatch start(String bootstrapServers, Duration every, PrintStream out) {
        ClusterWatch watch = new ClusterWatch(bootstrapServers, out);
        watch.timer.scheduleWithFixedDelay(watch::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    /** One probe; prints a line only when the answer differs from the last one. */
    void check() {
        try {
            BootstrapProbe.requireReachable(bootstrapServers);
            if (unreachableSinceNanos >= 0) {
                out.printf("oddity: Kafka at %s reachable again after %d s%n", bootstrapServers,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - unreachableSinceNanos));
                unreachableSinceNanos = -1;
            }
        } catch (KafkaUnavailableException e) {
            if (unreachableSinceNanos < 0) {
                unreachableSinceNanos = System.nanoTime();
                out.printf("oddity: %s; scoring waits, Kafka's clients retry with backoff%n", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
