package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;

/**
 * oddity's settings as a deployment file sees them: the keys of the defaults file, their {@code ODDITY_*}
 * variables, and validation exactly as oddity does it at start-up.
 */
final class DeploySettings {

    /** The variable the launcher and the image's entry point read for JVM options; not a setting. */
    static final String JAVA_OPTS = "ODDITY_JAVA_OPTS";
    /** Prefix of the settings that pass Kafka client settings through, e.g. kafka.sasl.mechanism. */
    static final String KAFKA_PREFIX = "kafka.";

    private DeploySettings() {
    }

    /** Every setting key of oddity-defaults.properties. */
    static Set<String> keys() {
        Properties defaults = new Properties();
        try (InputStream in = SettingsSource.class.getResourceAsStream(SettingsSource.DEFAULTS)) {
            defaults.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SettingsSource.DEFAULTS, e);
        }
        return new TreeSet<>(defaults.stringPropertyNames());
    }

    /** The setting key of each environment variable that sets one. */
    static Map<String, String> keysByVariable() {
        return keys().stream().collect(Collectors.toMap(SettingsSource::envName, key -> key));
    }

    /**
     * Every ODDITY_* name of {@code variables} that is none of: a setting's variable, a Kafka client passthrough
     * setting's, or the JVM options.
     */
    static Set<String> unknownVariables(Set<String> variables) {
        Map<String, String> known = keysByVariable();
        Set<String> passthrough = passthroughNotYetKnown(variables).keySet();
        return variables.stream()
                .filter(name -> name.startsWith(SettingsSource.ENV_PREFIX))
                .filter(name -> !name.equals(JAVA_OPTS) && !known.containsKey(name) && !passthrough.contains(name))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Whether {@code key} is {@code kafka.} and the name of a Kafka client setting (consumer, producer or admin
     * client, which include the security settings of CommonClientConfigs and SaslConfigs): a Kafka client
     * passthrough setting, which this build may not know yet.
     */
    static boolean isKafkaClientSetting(String key) {
        return kafkaClientSettingKeys().contains(key);
    }

    /**
     * The Kafka client passthrough settings among {@code variables} that this build's defaults do not list, by
     * variable: such a variable is checked against Kafka's names, the rest against oddity's.
     */
    static Map<String, String> passthroughNotYetKnown(Set<String> variables) {
        Set<String> known = keysByVariable().keySet();
        Map<String, String> byVariable = kafkaClientSettingKeys().stream()
                .collect(Collectors.toMap(SettingsSource::envName, key -> key, (a, b) -> a));
        Map<String, String> passthrough = new LinkedHashMap<>();
        variables.stream().filter(v -> !known.contains(v) && byVariable.containsKey(v))
                .forEach(v -> passthrough.put(v, byVariable.get(v)));
        return passthrough;
    }

    private static Set<String> kafkaClientSettingKeys() {
        Set<String> names = new HashSet<>(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names.stream().map(name -> KAFKA_PREFIX + name).collect(Collectors.toSet());
    }

    /**
     * The settings oddity would start with, from the defaults, {@code configFile} (or null), the environment
     * {@code env} and the command-line {@code overrides}; fails the test with oddity's own one-line message if
     * any of them is invalid. Kafka client passthrough variables this build does not know yet are left out.
     */
    static OdditySettings validated(Path configFile, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> known = new HashMap<>(env);
        known.keySet().removeAll(passthroughNotYetKnown(env.keySet()).keySet());
        return assertDoesNotThrow(() -> OdditySettings.from(SettingsSource.load(configFile, known, overrides)),
                () -> "oddity would refuse these settings: file " + configFile + ", environment " + env
                        + ", command line " + overrides);
    }
}
