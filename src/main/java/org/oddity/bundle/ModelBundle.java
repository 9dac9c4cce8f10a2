package org.oddity.bundle;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.FeatureExtractors;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.score.Scorer;
import org.oddity.score.preprocess.Preprocessing;

/** A verified, loaded model bundle: manifest, preprocessing, scorer and per-cell calibration sets. */
public final class ModelBundle {

    private final Path directory;
    private final BundleManifest manifest;
    private final Scorer scorer;
    private final Preprocessing preprocessing;
    private final Map<String, CalibrationSet> calibration;
    private final ReferenceHistograms reference;

    ModelBundle(Path directory, BundleManifest manifest, Scorer scorer, Preprocessing preprocessing,
            Map<String, CalibrationSet> calibration, ReferenceHistograms reference) {
        this.directory = directory;
        this.manifest = manifest;
        this.scorer = scorer;
        this.preprocessing = preprocessing;
        this.calibration = Map.copyOf(calibration);
        this.reference = reference;
    }

    /** Reference histograms of the preprocessed features per finest cell, for drift tests; empty if the bundle has none. */
    public Optional<ReferenceHistograms> reference() {
        return Optional.ofNullable(reference);
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

    /**
     * This bundle without its exact calibration sets, for a scoring model that holds them as
     * sketches in bounded memory instead.
     */
    public ModelBundle withoutCalibration() {
        return new ModelBundle(directory, manifest, scorer, preprocessing, Map.of(), reference);
    }

    /** A new feature extractor for this model, its preprocessing included, for one stream task. */
    public FeatureExtractor newExtractor() {
        FeatureExtractor extractor = FeatureExtractors.create(manifest.extractor(), manifest.featureLayout(),
                manifest.featureNames());
        return manifest.preprocessing().isEmpty() ? extractor : new PreprocessedExtractor(extractor, preprocessing);
    }
}
