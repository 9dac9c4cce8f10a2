package org.oddity.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.KafkaSettings;

/**
 * How every Kafka client oddity makes connects to the cluster: the bootstrap servers and the
 * {@code kafka.*} settings (security, timeouts, tuning), checked against Kafka's own config
 * definitions. Each producer, consumer, admin client and Kafka Streams application is configured
 * through this one type, so a secured cluster needs its credentials given once, and no caller
 * assembles connection properties by hand.
 *
 * <p>What a client gets, later entries winning: oddity's tuning for that client, the {@code kafka.PROP}
 * settings, the settings of its kind ({@code kafka.producer.PROP}, ...), and the bootstrap
 * servers. The properties oddity sets itself are refused as settings, so they keep oddity's values.
 */
public final class KafkaClientSettings {

    private final String bootstrapServers;
    private final ClientProperties properties;

    private KafkaClientSettings(String bootstrapServers, ClientProperties properties) {
        this.bootstrapServers = bootstrapServers;
        this.properties = properties;
    }

    /**
     * The clients of {@code kafka}'s cluster, with its {@code kafka.*} settings.
     *
     * @throws InvalidSettingException naming the first {@code kafka.*} key Kafka does not know for its kind of
     *                                 client, whose value Kafka refuses, or that oddity sets itself
     */
    public static KafkaClientSettings of(KafkaSettings kafka) {
        return of(kafka.bootstrapServers(), kafka.clientProperties());
    }

    /**
     * The clients of the cluster at {@code bootstrapServers} with {@code settings}, keyed as
     * oddity's settings are ({@code kafka.security.protocol}, {@code kafka.producer.linger.ms}, ...).
     *
     * @throws InvalidSettingException as {@link #of(KafkaSettings)}
     */
    public static KafkaClientSettings of(String bootstrapServers, Map<String, String> settings) {
        return new KafkaClientSettings(bootstrapServers, ClientProperties.of(settings));
    }

    /** The clients of the cluster at {@code bootstrapServers}, with Kafka's defaults and oddity's tuning alone. */
    public static KafkaClientSettings of(String bootstrapServers) {
        return of(bootstrapServers, Map.of());
    }

    /** Where the clients connect first, {@code host:port[,host:port...]}: what messages name the cluster by. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The configuration of a producer: {@code tuning}, oddity's own for it, with the settings over it. */
    public Map<String, Object> producer(Map<String, ?> tuning) {
        return client(ClientKind.PRODUCER, tuning);
    }

    /** The configuration of a consumer: {@code tuning}, oddity's own for it, with the settings over it. */
    public Map<String, Object> consumer(Map<String, ?> tuning) {
        return client(ClientKind.CONSUMER, tuning);
    }

    /** The configuration of an admin client: {@code tuning}, oddity's own for it, with the settings over it. */
    public Map<String, Object> admin(Map<String, ?> tuning) {
        return client(ClientKind.ADMIN, tuning);
    }

    /**
     * The configuration of a Kafka Streams application: {@code streams}, oddity's own, with the
     * settings over it. Kafka Streams passes unprefixed client configs to all its clients, and
     * those under {@code producer.}, {@code consumer.} and {@code admin.} to one kind alone.
     */
    public Properties streams(Properties streams) {
        Properties out = new Properties();
        out.putAll(streams);
        out.putAll(properties.common());
        out.putAll(properties.of(ClientKind.STREAMS));
        for (ClientKind kind : ClientKind.CLIENTS) {
            properties.of(kind).forEach((name, value) -> out.put(kind.inStreams(name), value));
        }
        out.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return out;
    }

    /** The bootstrap servers and the properties given, with the values of passwords hidden. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        properties.common().forEach((name, value) -> shown.put(name, shown(name, value)));
        for (ClientKind kind : ClientKind.values()) {
            properties.of(kind).forEach((name, value) -> shown.put(kind.prefix() + name, shown(name, value)));
        }
        return bootstrapServers + " " + shown;
    }

    private Map<String, Object> client(ClientKind kind, Map<String, ?> tuning) {
        Map<String, Object> config = new HashMap<>(tuning);
        config.putAll(properties.common());
        config.putAll(properties.of(kind));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    private static String shown(String name, String value) {
        return ClientKind.isSecret(name) ? InvalidSettingException.HIDDEN : value;
    }
}
