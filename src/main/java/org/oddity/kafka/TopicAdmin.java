package org.oddity.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Checks for and creates the topics oddity uses, so a missing topic is reported by name at start-up. */
public final class TopicAdmin {

    private static final long TIMEOUT_SECONDS = 30;

    /** One request against the cluster. */
    @FunctionalInterface
    private interface AdminCall<T> {
        T apply(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
    }

    private TopicAdmin() {
    }

    /** The topics of {@code names} that do not exist on the cluster at {@code bootstrapServers}. */
    public static List<String> missing(String bootstrapServers, List<String> names) throws KafkaUnavailableException {
        return withAdmin(bootstrapServers, admin -> {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>(names);
            missing.removeAll(existing);
            return missing;
        });
    }

    /** Creates those of {@code names} that do not exist, with {@code partitions} partitions and the broker's replication. */
    public static void ensure(String bootstrapServers, int partitions, List<String> names)
            throws KafkaUnavailableException {
        withAdmin(bootstrapServers, admin -> {
            List<NewTopic> topics = names.stream()
                    .map(n -> new NewTopic(n, Optional.of(partitions), Optional.empty())).toList();
            for (var result : admin.createTopics(topics).values().values()) {
                try {
                    result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    private static <T> T withAdmin(String bootstrapServers, AdminCall<T> call) throws KafkaUnavailableException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS)))) {
            return call.apply(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException(bootstrapServers, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaUnavailableException(bootstrapServers, e);
        }
    }
}
