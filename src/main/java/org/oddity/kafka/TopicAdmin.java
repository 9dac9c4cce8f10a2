package org.oddity.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.oddity.client.KafkaClientSettings;
import org.oddity.topology.Topics;

/** Checks for and creates the topics oddity uses, so a missing topic is reported by name at start-up. */
public final class TopicAdmin {

    private static final long TIMEOUT_SECONDS = 30;
    private static final long LEADER_POLL_MILLIS = 50;

    /** One request against the cluster. */
    @FunctionalInterface
    private interface AdminCall<T> {
        T apply(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    private TopicAdmin() {
    }

    /** The topics of {@code names} that do not exist on {@code cluster}. */
    public static List<String> missing(KafkaClientSettings cluster, List<String> names)
            throws KafkaUnavailableException {
        return withAdmin(cluster, admin -> {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>(names);
            missing.removeAll(existing);
            return missing;
        });
    }

    /** The partition count of each topic of {@code names} that exists; a missing one is left out. */
    public static Map<String, Integer> partitions(KafkaClientSettings cluster, List<String> names)
            throws KafkaUnavailableException {
        return withAdmin(cluster, admin -> {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> present = names.stream().filter(existing::contains).toList();
            Map<String, Integer> out = new LinkedHashMap<>();
            admin.describeTopics(present).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((name, description) -> out.put(name, description.partitions().size()));
            return out;
        });
    }

    /**
     * Creates those of {@code names} that do not exist, with {@code partitions} partitions of
     * {@code replicationFactor} replicas each (-1: the broker's default).
     */
    public static void ensure(KafkaClientSettings cluster, int partitions, int replicationFactor, List<String> names)
            throws KafkaUnavailableException {
        ensure(cluster, names.stream().map(n -> Topics.newTopic(n, partitions, replicationFactor)).toList());
    }

    /** Creates those of {@code topics} that do not exist, as described; existing topics are left as they are. */
    public static void ensure(KafkaClientSettings cluster, List<NewTopic> topics) throws KafkaUnavailableException {
        List<String> names = topics.stream().map(NewTopic::name).toList();
        withAdmin(cluster, admin -> {
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, names);
            return null;
        });
    }

    /**
     * Waits until every partition of {@code names} has a leader. A created topic is not writable
     * at once: a producer that sends before the leader is in place gets NOT_LEADER_OR_FOLLOWER,
     * and an idempotent producer with several batches in flight can then stall on sequence gaps.
     */
    private static void awaitLeaders(Admin admin, List<String> names)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            boolean ready;
            try {
                ready = admin.describeTopics(names).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
            } catch (ExecutionException e) {
                // A topic just created may not be in the metadata of the broker asked yet: ask again.
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                ready = false;
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions of " + names + " have no leader after " + TIMEOUT_SECONDS + " s");
            }
            Thread.sleep(LEADER_POLL_MILLIS);
        }
    }

    private static <T> T withAdmin(KafkaClientSettings cluster, AdminCall<T> call) throws KafkaUnavailableException {
        BootstrapProbe.requireReachable(cluster);
        try (Admin admin = Admin.create(cluster.admin(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS))))) {
            return call.apply(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(cluster.bootstrapServers(), e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            // A KafkaException here is a client Kafka could not make, e.g. from a JAAS config it cannot parse.
            throw new KafkaUnavailableException(cluster.bootstrapServers(), e);
        }
    }
}
