package org.oddity.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.SettingsSource;

/**
 * The {@code kafka.*} settings as Kafka client properties: each key resolved to the kind of
 * client it is for and to Kafka's name, and checked against Kafka's definition of that config;
 * a key that does not resolve, a value Kafka would refuse, or a property oddity sets itself stops
 * start-up with one line naming the key. A value is shown in that line only when its key is a
 * config Kafka knows and does not define as a password.
 */
final class ClientProperties {

    /**
     * The properties oddity sets itself, and what to set instead. A client given another value
     * would no longer be the one oddity's settings describe (group.id, isolation.level and
     * transactional.id are Kafka Streams' under exactly-once).
     */
    private static final Map<String, String> OWNED = Map.ofEntries(
            Map.entry("bootstrap.servers", "set oddity's setting bootstrap.servers (or --bootstrap-servers)"),
            Map.entry("application.id", "set oddity's setting application.id"),
            Map.entry("group.id", "oddity's consumers read without a group, and Kafka Streams' group is oddity's"
                    + " setting application.id"),
            Map.entry("group.instance.id", "set oddity's setting streams.instance-id"),
            Map.entry("processing.guarantee", "set oddity's setting streams.processing-guarantee"),
            Map.entry("isolation.level", "oddity reads committed records only, and Kafka Streams follows oddity's"
                    + " setting streams.processing-guarantee"),
            Map.entry("transactional.id", "Kafka Streams sets it under oddity's setting streams.processing-guarantee"),
            Map.entry("num.stream.threads", "set oddity's setting streams.threads"),
            Map.entry("num.standby.replicas", "set oddity's setting streams.standby-replicas"),
            Map.entry("commit.interval.ms", "set oddity's setting streams.commit-interval"),
            Map.entry("state.dir", "oddity keeps Kafka Streams' state under its setting work.dir"),
            Map.entry("replication.factor", "set oddity's setting topics.replication-factor"),
            Map.entry("key.serializer", "oddity writes with the serializers of its topic catalogue"),
            Map.entry("value.serializer", "oddity writes with the serializers of its topic catalogue"),
            Map.entry("key.deserializer", "oddity reads with the deserializers of its topic catalogue"),
            Map.entry("value.deserializer", "oddity reads with the deserializers of its topic catalogue"),
            Map.entry("default.key.serde", "oddity's topology names the serde of every topic"),
            Map.entry("default.value.serde", "oddity's topology names the serde of every topic"),
            Map.entry("processing.exception.handler", "oddity's handler turns a scoring failure into a dead letter"));

    private final Map<String, String> common;
    private final Map<ClientKind, Map<String, String>> byKind;

    private ClientProperties(Map<String, String> common, Map<ClientKind, Map<String, String>> byKind) {
        this.common = common;
        this.byKind = byKind;
    }

    /**
     * Resolves and checks {@code settings}, keyed as oddity's settings are ({@code kafka.PROP},
     * {@code kafka.producer.PROP}, ...).
     *
     * @throws InvalidSettingException naming the first key that does not resolve or whose value Kafka refuses
     */
    static ClientProperties of(Map<String, String> settings) {
        SortedMap<String, String> common = new TreeMap<>();
        Map<ClientKind, Map<String, String>> byKind = new EnumMap<>(ClientKind.class);
        for (ClientKind kind : ClientKind.values()) {
            byKind.put(kind, new TreeMap<>());
        }
        for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(SettingsSource.KAFKA_PREFIX)) {
                throw new IllegalArgumentException("not a Kafka client property: " + key);
            }
            String property = key.substring(SettingsSource.KAFKA_PREFIX.length());
            ClientKind kind = ClientKind.ofPrefixed(property);
            if (kind == null) {
                String name = commonName(key, property, e.getValue());
                common.put(name, checked(key, name, ClientKind.PRODUCER.definition(name), e.getValue()));
            } else {
                String name = kind.kafkaName(property.substring(kind.prefix().length()));
                if (name == null) {
                    throw InvalidSettingException.hidingValue(key, "not a config of Kafka's " + kind.description()
                            + " (see Kafka's documentation of its configs)");
                }
                byKind.get(kind).put(name, checked(key, name, kind.definition(name), e.getValue()));
            }
        }
        byKind.replaceAll((kind, properties) -> Collections.unmodifiableMap(properties));
        return new ClientProperties(Collections.unmodifiableMap(common), byKind);
    }

    /** Properties for every client, by Kafka's name. */
    Map<String, String> common() {
        return common;
    }

    /** Properties for clients of {@code kind} alone, by Kafka's name. */
    Map<String, String> of(ClientKind kind) {
        return byKind.get(kind);
    }

    /** Kafka's name of {@code property}, a config of every kind of plain client; refuses any other. */
    private static String commonName(String key, String property, String value) {
        List<ClientKind> knowing = new ArrayList<>();
        String name = null;
        for (ClientKind kind : ClientKind.CLIENTS) {
            String known = kind.kafkaName(property);
            if (known != null) {
                knowing.add(kind);
                name = known;
            }
        }
        if (knowing.size() == ClientKind.CLIENTS.size()) {
            return name;
        }
        if (!knowing.isEmpty()) {
            throw refused(key, name, value, "a config of Kafka's " + String.join(" and ", knowing.stream()
                    .map(ClientKind::description).toList()) + " only, not of every client: give it as "
                    + SettingsSource.KAFKA_PREFIX + knowing.get(0).prefix() + name);
        }
        String streams = ClientKind.STREAMS.kafkaName(property);
        if (streams != null) {
            throw refused(key, streams, value, "a config of Kafka Streams only: give it as "
                    + SettingsSource.KAFKA_PREFIX + ClientKind.STREAMS.prefix() + streams);
        }
        throw InvalidSettingException.hidingValue(key, "not a config of Kafka's producer, consumer and admin client"
                + " (see Kafka's documentation of its configs)");
    }

    /** {@code value}, once Kafka's {@code definition} of config {@code name} takes it and oddity does not set it. */
    private static String checked(String key, String name, ConfigDef.ConfigKey definition, String value) {
        String owned = OWNED.get(name);
        if (owned != null) {
            throw refused(key, name, value, "oddity sets " + name + " itself: " + owned);
        }
        try {
            Object parsed = ConfigDef.parseType(name, value, definition.type);
            if (definition.validator != null) {
                definition.validator.ensureValid(name, parsed);
            }
        } catch (ConfigException e) {
            throw refused(key, name, value, ClientKind.isSecret(name) ? "Kafka refuses it as " + name
                    : "Kafka refuses it: " + reason(e.getMessage(), name, value));
        }
        return value;
    }

    /** Kafka's reason without its "Invalid value V for configuration N: ", which the line already says. */
    private static String reason(String message, String name, String value) {
        String preamble = "Invalid value " + value + " for configuration " + name + ": ";
        return message != null && message.startsWith(preamble) ? message.substring(preamble.length()) : message;
    }

    private static InvalidSettingException refused(String key, String name, String value, String expected) {
        return ClientKind.isSecret(name) ? InvalidSettingException.hidingValue(key, expected)
                : new InvalidSettingException(key, value, expected);
    }
}
