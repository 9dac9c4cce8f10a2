package org.oddity.kafka;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.oddity.client.KafkaClientSettings;

/**
 * Watches whether the cluster takes connections while oddity runs, and says so once when it
 * stops and once when it is back. Kafka's clients retry on their own, with backoff; they also
 * warn at every attempt, which oddity's logging configuration filters out, so that an outage is
 * two lines, not one per client per second. It asks for connections only: a cluster that takes
 * them but refuses oddity's credentials is not an outage, and the client refused stops the
 * command with a line of its own instead of waiting here.
 */
public final class ClusterWatch implements AutoCloseable {

    private final KafkaClientSettings cluster;
    private final PrintStream out;
    private final ScheduledExecutorService timer;
    private long unreachableSinceNanos = -1;

    private ClusterWatch(KafkaClientSettings cluster, PrintStream out) {
        this.cluster = cluster;
        this.out = out;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "oddity-cluster-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Probes {@code cluster} every {@code every}, printing each change of reachability to {@code out}. */
    public static ClusterWatch start(KafkaClientSettings cluster, Duration every, PrintStream out) {
        ClusterWatch watch = new ClusterWatch(cluster, out);
        watch.timer.scheduleWithFixedDelay(watch::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return watch;
    }

    /** One probe; prints a line only when the answer differs from the last one. */
    void check() {
        try {
            BootstrapProbe.requireReachable(cluster);
            if (unreachableSinceNanos >= 0) {
                out.printf("oddity: Kafka at %s reachable again after %d s%n", cluster.bootstrapServers(),
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
