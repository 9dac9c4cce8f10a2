package org.oddity.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import picocli.CommandLine.Option;

/** Options every command shares: where settings come from, and the most used overrides. */
final class SettingsOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (same keys as oddity-defaults.properties).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one setting; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka cluster (setting bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--bundle", paramLabel = "DIR", description = "Model bundle directory (setting model.bundle).")
    Path bundle;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Work directory (setting work.dir).")
    Path workDir;

    /**
     * The settings from defaults, --config, ODDITY_* and these options, validated; the
     * {@code kafka.*} client properties against Kafka's own config definitions too, which the
     * settings package (plain Java) does not know, so that every command stops on a bad one.
     */
    OdditySettings settings() {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (bootstrapServers != null) {
            all.put("bootstrap.servers", bootstrapServers);
        }
        if (bundle != null) {
            all.put("model.bundle", bundle.toString());
        }
        if (workDir != null) {
            all.put("work.dir", workDir.toString());
        }
        OdditySettings settings = OdditySettings.from(SettingsSource.load(config, System.getenv(), all));
        KafkaClientSettings.of(settings.kafka());
        return settings;
    }
}
