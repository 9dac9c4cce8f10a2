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

/**
 * Merges the raw setting values: the defaults file, an optional settings file, {@code ODDITY_*}
 * environment variables and command-line overrides, later sources winning. Unknown keys are
 * refused, so a typo cannot silently leave a default in force.
 */
public final class SettingsSource {

    /** Classpath resource holding the documented defaults. */
    public static final String DEFAULTS = "/oddity-defaults.properties";
    /** Environment prefix of settings. */
    public static final String ENV_PREFIX = "ODDITY_";
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
                String key = byEnvName.get(e.getKey());
                if (key == null) {
                    throw new InvalidSettingException(e.getKey(), e.getValue(),
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

    /** The raw value of {@code key}, trimmed; every known key has one. */
    public String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no setting " + key);
        }
        return v.trim();
    }

    private static void put(Map<String, String> values, String key, String value, String where) {
        if (!values.containsKey(key)) {
            throw new InvalidSettingException(key, value, "no such setting " + where
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
