package org.oddity.cli;

import java.util.Map;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.CalibrationSettings;
import org.oddity.config.OdditySettings;

/** Loads the model bundle the settings name as the model that run, demo, bench and evaluate score with. */
final class ModelLoader {

    private ModelLoader() {
    }

    /**
     * The settings' bundle resolved over their cells and working points, with their calibration
     * floor and sketch accuracy; the bundle's own calibration only, as no instance has calibrated
     * online yet.
     */
    static ScoringModel scoringModel(OdditySettings settings) throws InvalidBundleException {
        CalibrationSettings calibration = settings.calibration();
        return ScoringModel.of(BundleReader.read(settings.modelBundle()), calibration.cells(),
                calibration.workingPoints(), calibration.minSize(), Map.of(), calibration.sketchK());
    }
}
