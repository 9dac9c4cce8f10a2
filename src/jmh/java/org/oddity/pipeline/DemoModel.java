package org.oddity.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.ScorerRegistry;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.oddity.train.ModelTrainer;
import org.oddity.train.Progress;

/**
 * The model and calibration {@code ./oddity demo} scores with by default, for the benchmarks:
 * HBOS trained on 200,000 events of the standard fill (seed 1000) and calibrated per cell on
 * 3,000,000 more (seed 1001), resolved over the default cells and working points.
 */
public final class DemoModel {

    /** Default settings, as the demo runs with them. */
    public static final OdditySettings SETTINGS = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of()));

    private DemoModel() {
    }

    /** Trains the demo's bundle into a temporary directory and resolves it. */
    public static ScoringModel train() throws IOException, InvalidBundleException {
        Path bundle = Files.createTempDirectory("oddity-bench-bundle");
        new ModelTrainer("demo-hbos", new L1ObjectsExtractor(), null, SETTINGS.calibration().cells(),
                ScorerRegistry.family("hbos").orElseThrow().trainer(Map.of(), 1), "none")
                .train(new DaqSimulator(SimulationPlan.standard(200_000, 3600), 1000),
                        new DaqSimulator(SimulationPlan.standard(3_000_000, 3600), 1001), bundle, Progress.NONE);
        return ScoringModel.of(BundleReader.read(bundle), SETTINGS.calibration().cells(), SETTINGS.calibration().workingPoints(),
                SETTINGS.calibration().minSize());
    }
}
