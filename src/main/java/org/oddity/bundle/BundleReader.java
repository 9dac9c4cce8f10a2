package org.oddity.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.FeatureExtractors;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerRegistry;
import org.oddity.score.preprocess.Preprocessing;

/**
 * Loads and verifies a model bundle: every file's digest, the feature names against the
 * extractor and the scorer, a smoke score, and the calibration sets. Anything wrong gives an
 * {@link InvalidBundleException} that names the bundle and the problem.
 */
public final class BundleReader {

    private BundleReader() {
    }

    /** Reads the bundle in directory {@code dir}. */
    public static ModelBundle read(Path dir) throws InvalidBundleException {
        String where = "model bundle " + dir;
        BundleManifest manifest = manifest(dir, where);
        if (manifest.formatVersion() != BundleManifest.FORMAT_VERSION) {
            throw new InvalidBundleException(where + " has format version " + manifest.formatVersion()
                    + "; this oddity reads " + BundleManifest.FORMAT_VERSION);
        }
        for (Map.Entry<String, String> file : manifest.files().entrySet()) {
            verifyDigest(dir, file.getKey(), file.getValue(), where);
        }
        ScorerFamily family = ScorerRegistry.family(manifest.scorer()).orElseThrow(() -> new InvalidBundleException(
                where + " names scorer " + manifest.scorer() + "; known: " + ScorerRegistry.families()));
        Scorer scorer;
        try {
            scorer = family.read(dir);
        } catch (IOException e) {
            throw new InvalidBundleException(where + ": cannot read " + manifest.scorer() + " parameters: "
                    + e.getMessage(), e);
        }
        FeatureExtractor extractor;
        Preprocessing preprocessing;
        try {
            extractor = FeatureExtractors.create(manifest.extractor(), manifest.featureLayout(),
                    manifest.featureNames());
            preprocessing = Preprocessing.of(manifest.preprocessing(), manifest.featureNames());
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(where + ": " + e.getMessage(), e);
        }
        int features = extractor.featureNames().size();
        if (scorer.featureCount() != features) {
            throw new InvalidBundleException(where + ": scorer expects " + scorer.featureCount()
                    + " features but the manifest declares " + features);
        }
        float[] zero = new float[features];
        preprocessing.apply(zero);
        double smoke = scorer.score(zero);
        if (!Double.isFinite(smoke)) {
            throw new InvalidBundleException(where + ": smoke score of a zero vector is " + smoke);
        }
        return new ModelBundle(dir, manifest, scorer, preprocessing, calibration(dir, manifest, where),
                reference(dir, manifest, where));
    }

    /** The reference feature histograms, or null if the bundle has none. */
    private static ReferenceHistograms reference(Path dir, BundleManifest manifest, String where)
            throws InvalidBundleException {
        if (!manifest.files().containsKey(BundleWriter.REFERENCE_FILE)) {
            return null;
        }
        try {
            ReferenceHistograms reference = ReferenceHistograms.read(dir.resolve(BundleWriter.REFERENCE_FILE));
            if (!reference.binning().featureNames().equals(manifest.featureNames())) {
                throw new InvalidBundleException(where + ": " + BundleWriter.REFERENCE_FILE + " bins features "
                        + reference.binning().featureNames() + ", not the manifest's " + manifest.featureNames());
            }
            return reference;
        } catch (IOException e) {
            throw new InvalidBundleException(where + ": cannot read " + BundleWriter.REFERENCE_FILE + ": "
                    + e.getMessage(), e);
        }
    }

    private static BundleManifest manifest(Path dir, String where) throws InvalidBundleException {
        try {
            BundleManifest manifest = BundleWriter.JSON.readValue(dir.resolve(BundleManifest.FILE).toFile(),
                    BundleManifest.class);
            if (manifest.name() == null || manifest.version() == null || manifest.scorer() == null
                    || manifest.extractor() == null || manifest.featureNames() == null || manifest.files() == null
                    || manifest.calibration() == null) {
                throw new InvalidBundleException(where + ": manifest.json lacks name, version, scorer, extractor,"
                        + " featureNames, files or calibration");
            }
            return manifest;
        } catch (IOException e) {
            throw new InvalidBundleException(where + ": cannot read manifest.json: " + e.getMessage(), e);
        }
    }

    private static void verifyDigest(Path dir, String file, String expected, String where)
            throws InvalidBundleException {
        Path path = dir.resolve(file).normalize();
        if (!path.startsWith(dir.normalize())) {
            throw new InvalidBundleException(where + ": file " + file + " lies outside the bundle");
        }
        try {
            String actual = Sha256.ofFile(path);
            if (!actual.equals(expected)) {
                throw new InvalidBundleException(where + ": " + file + " has SHA-256 " + actual
                        + " but the manifest says " + expected);
            }
        } catch (NoSuchFileException e) {
            throw new InvalidBundleException(where + ": " + file + " is listed in the manifest but missing", e);
        } catch (IOException e) {
            throw new InvalidBundleException(where + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, CalibrationSet> calibration(Path dir, BundleManifest manifest, String where)
            throws InvalidBundleException {
        Map<String, CalibrationSet> sets = new HashMap<>();
        for (CalibrationEntry entry : manifest.calibration()) {
            if (!manifest.files().containsKey(entry.file())) {
                throw new InvalidBundleException(where + ": calibration file " + entry.file() + " has no digest");
            }
            try {
                ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(entry.file())));
                if (bytes.remaining() != 8L * entry.size()) {
                    throw new InvalidBundleException(where + ": " + entry.file() + " holds " + bytes.remaining() / 8
                            + " scores, the manifest says " + entry.size());
                }
                double[] scores = new double[entry.size()];
                bytes.asDoubleBuffer().get(scores);
                sets.put(entry.cell(), CalibrationSet.of(scores));
            } catch (IOException e) {
                throw new InvalidBundleException(where + ": cannot read " + entry.file() + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new InvalidBundleException(where + ": calibration of cell " + entry.cell() + ": "
                        + e.getMessage(), e);
            }
        }
        return sets;
    }
}
