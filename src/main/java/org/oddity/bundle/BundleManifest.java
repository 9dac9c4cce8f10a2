package org.oddity.bundle;

import java.util.List;
import java.util.Map;
import org.oddity.score.preprocess.PreprocessingStep;

/**
 * The {@code manifest.json} of a model bundle: what the model is, how to feed it, and the
 * SHA-256 of every file, so a damaged or tampered bundle is refused.
 *
 * @param formatVersion      bundle layout version, {@link #FORMAT_VERSION}
 * @param name               model name, shared by its versions
 * @param version            model version, derived from the parameters' digest; stamped on every flag
 * @param scorer             scorer family, a key of {@code ScorerRegistry}
 * @param extractor          feature extractor name
 * @param featureLayout      layout name of flat feature vectors ({@code features} extractor), else null
 * @param featureNames       ordered feature names
 * @param preprocessing      steps applied in order to every feature vector before scoring; empty for none
 * @param trainingDataDigest SHA-256 of the training feature matrix
 * @param trainingEvents     number of training events
 * @param createdAt          ISO-8601 creation time
 * @param files              relative path to SHA-256 of every parameter and calibration file
 * @param calibration        calibration sets per cell
 */
public record BundleManifest(
        int formatVersion,
        String name,
        String version,
        String scorer,
        String extractor,
        String featureLayout,
        List<String> featureNames,
        List<PreprocessingStep> preprocessing,
        String trainingDataDigest,
        long trainingEvents,
        String createdAt,
        Map<String, String> files,
        List<CalibrationEntry> calibration) {

    /** The bundle layout this code reads and writes. */
    public static final int FORMAT_VERSION = 1;

    /** Manifests written before preprocessing existed declare none. */
    public BundleManifest {
        preprocessing = preprocessing == null ? List.of() : List.copyOf(preprocessing);
    }

    /** File name of the manifest inside a bundle directory. */
    public static final String FILE = "manifest.json";
}
