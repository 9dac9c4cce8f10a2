package org.oddity.model;

import java.nio.file.Path;
import java.util.Map;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.FeatureExtractors;
import org.oddity.score.Scorer;

/** A verified, loaded model bundle: manifest, scorer and per-cell calibration sets. */
public final class ModelBundle {

    private final Path directory;
    private final BundleManifest manifest;
    private final Scorer scorer;
    private final Map<String, CalibrationSet> calibration;

    ModelBundle(Path directory, BundleManifest manifest, Scorer scorer, Map<String, CalibrationSet> calibration) {
        this.directory = directory;
        this.manifest = manifest;
        this.scorer = scorer;
        this.calibration = Map.copyOf(calibration);
    }

    public Path directory() {
        return directory;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The model version stamped on every flag this bundle produces. */
    public String version() {
        return manifest.version();
    }

    public Scorer scorer() {
        return scorer;
    }

    /** Calibration sets by cell name. */
    public Map<String, CalibrationSet> calibration() {
        return calibration;
    }

    /** A new feature extractor for this model, for one stream task. */
    public FeatureExtractor newExtractor() {
        return FeatureExtractors.create(manifest.extractor(), manifest.featureLayout(), manifest.featureNames());
    }
}
