package org.oddity.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Merges the raw setting values: the defaults file, an optional settings file, {@code ODDITY_*}
 * environment variables and command-line overrides, later sources winning. Unknown keys are
 * refused, so a typo cannot silently leave a default in force; their values are not shown, since
 * a mistyped key may hold a password.
 *
 * <p>Keys under {@link #KAFKA_PREFIX} are Kafka's own client properties. Kafka has hundreds, so
 * the defaults file lists none and any key under the prefix is taken here; {@code
 * org.oddity.client} checks each against Kafka's config definitions.
 */
public final class SettingsSource {

    /** Classpath resource holding the documented defaults. */
    public static final String DEFAULTS = "/oddity-defaults.properties";
    /** Environment prefix of settings. */
    public static final String ENV_PREFIX = "ODDITY_";
    /** Prefix of the Kafka client properties, e.g. {@code kafka.security.protocol}. */
    public static final String KAFKA_PREFIX = "kafka.";
    /** Environment prefix of the Kafka client properties. */
    private static final String KAFKA_ENV_PREFIX = envName(KAFKA_PREFIX);
    /** Environment variables with the prefix that are not settings (read by the launcher script). */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("ODDITY_JAVA_OPTS");

    private final Map<String, String> values;

    private SettingsSource(Map<String, String> values) {
        this.values = values;
    }

    /**
     * The merged values.
     *
     * @param file      settings file from --config, or null
     * @param env       the environment (System.getenv() outside tests)
     * @param overrides command-line overrides, applied last
     */
    public static SettingsSource load(Path file, Map<String, String> env, Map<String, String> overrides) {
        Map<String, String> values = defaults();
        if (file != null) {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                props.load(in);
            } catch (IOException e) {
                throw new InvalidSettingException("--config", file.toString(), "cannot read it: " + e.getMessage());
            }
            for (String key : props.stringPropertyNames()) {
                put(values, key, props.getProperty(key), "in " + file);
            }
        }
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (String key : values.keySet()) {
            byEnvName.put(envName(key), key);
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(ENV_PREFIX) && !LAUNCHER_VARIABLES.contains(e.getKey())) {
                String key = byEnvName.containsKey(e.getKey()) ? byEnvName.get(e.getKey()) : kafkaKey(e.getKey());
                if (key == null) {
                    throw InvalidSettingException.hidingValue(e.getKey(),
                            "no such setting (see oddity-defaults.properties for the keys)");
                }
                values.put(key, e.getValue());
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            put(values, e.getKey(), e.getValue(), "on the command line");
        }
        return new SettingsSource(values);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The key of a Kafka client property's environment variable: lower case, with '_' as '.'
     * ({@code ODDITY_KAFKA_SASL_MECHANISM} is {@code kafka.sasl.mechanism}); null if
     * {@code variable} is not one.
     */
    private static String kafkaKey(String variable) {
        if (!variable.startsWith(KAFKA_ENV_PREFIX) || variable.length() == KAFKA_ENV_PREFIX.length()) {
            return null;
        }
        return KAFKA_PREFIX + variable.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** Every key under {@code prefix} that has a value, with its trimmed value, in key order. */
    public SortedMap<String, String> prefixed(String prefix) {
        SortedMap<String, String> out = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                out.put(key, value.trim());
            }
        });
        return out;
    }

    /** The raw value of {@code key}, trimmed; every known key has one. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no setting " + key);
        }
        return v.trim();
    }

    private static void put(Map<String, String> values, String key, String value, String where) {
        boolean kafkaProperty = key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length();
        if (!values.containsKey(key) && !kafkaProperty) {
            throw InvalidSettingException.hidingValue(key, "no such setting " + where
                    + " (see oddity-defaults.properties for the keys)");
        }
        values.put(key, value);
    }

    private static Map<String, String> defaults() {
        Properties props = new Properties();
        try (InputStream in = SettingsSource.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the classpath");
            }
            props.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS, e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            values.put(key, props.getProperty(key));
        }
        return values;
    }
}
