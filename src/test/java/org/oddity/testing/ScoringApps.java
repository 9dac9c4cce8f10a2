package org.oddity.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.Topics;

/** Scoring applications on the test broker, with the test bundle's model, for broker tests. */
public final class ScoringApps {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private ScoringApps() {
    }

    /**
     * Settings for application {@code applicationId} on {@code bootstrapServers}, topics under {@code prefix},
     * work directory {@code workDir}, the metrics port off, an idle flush of 2 s, and
     * {@code overrides} (key, value, key, value, ...) last.
     */
    public static OdditySettings settings(String bootstrapServers, String prefix, String applicationId, Path workDir,
            String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "bootstrap.servers", bootstrapServers,
                "application.id", applicationId,
                "topics.prefix", prefix,
                "work.dir", workDir.toString(),
                "monitor.idle-flush", "2s",
                "metrics.port", "0"));
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        return OdditySettings.from(SettingsSource.load(null, Map.of(), values));
    }

    /** Empty counters for the cells and working points of {@code settings}. */
    public static CellCounters counters(OdditySettings settings) {
        return new CellCounters(settings.calibration().cells(), settings.calibration().workingPoints().size());
    }

    /**
     * Waits, up to three minutes, until {@code condition} holds; fails at once if {@code app} stops,
     * and with {@code what} on timeout.
     */
    public static void await(ScoringApplication app, BooleanSupplier condition, Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(app.stopped(), "the application stopped");
            assertTrue(System.nanoTime() < deadline, () -> "timed out waiting for " + what.get());
            Thread.sleep(50);
        }
    }

    /** Starts the scoring application of {@code settings} on {@code topics} with the test bundle's model. */
    public static ScoringApplication start(Topics topics, OdditySettings settings, CellCounters counters) {
        return ScoringApplication.start(topics, settings, new ActiveModel(TrainedBundle.model(settings), counters,
                settings.calibration().minSize()), counters, ScoringLatencies.of(settings.metrics()),
                new SimpleMeterRegistry());
    }
}
