package org.oddity.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.event.FeatureExtractor;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerRegistry;
import org.oddity.score.preprocess.Preprocessing;

/**
 * Writes a model bundle directory: the scorer's parameter files, one binary file of sorted
 * big-endian doubles per calibration cell, and a manifest with every file's SHA-256.
 */
public final class BundleWriter {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BundleWriter() {
    }

    /** Writes {@code manifest} as {@code dir}'s manifest file. */
    public static void writeManifest(Path dir, BundleManifest manifest) throws IOException {
        JSON.writeValue(dir.resolve(BundleManifest.FILE).toFile(), manifest);
    }

    /** File of the reference feature histograms, when the bundle has them. */
    public static final String REFERENCE_FILE = "reference.json";

    /**
     * Writes the bundle into {@code dir} (created if needed) without reference histograms and
     * returns its manifest.
     *
     * @param preprocessing what is applied to {@code extractor}'s vectors before {@code scorer} sees them
     * @param calibration   calibration sets by cell name; may be empty for a model to be calibrated later
     */
    public static BundleManifest write(Path dir, String name, Scorer scorer, FeatureExtractor extractor,
            String featureLayout, Preprocessing preprocessing, String trainingDataDigest, long trainingEvents,
            Map<String, CalibrationSet> calibration) throws IOException {
        return write(dir, name, scorer, extractor, featureLayout, preprocessing, trainingDataDigest, trainingEvents,
                calibration, null);
    }

    /**
     * Writes the bundle, with {@code reference} histograms of the preprocessed features per
     * finest cell for the monitor's drift tests (null for none). They describe the background,
     * not the model, so they do not enter the model version.
     */
    public static BundleManifest write(Path dir, String name, Scorer scorer, FeatureExtractor extractor,
            String featureLayout, Preprocessing preprocessing, String trainingDataDigest, long trainingEvents,
            Map<String, CalibrationSet> calibration, ReferenceHistograms reference) throws IOException {
        Files.createDirectories(dir);
        ScorerFamily family = ScorerRegistry.family(scorer.family())
                .orElseThrow(() -> new IllegalArgumentException("no family registered for scorer " + scorer.family()));
        Map<String, String> files = new TreeMap<>();
        Sha256 parameters = new Sha256();
        for (String file : family.write(scorer, dir)) {
            String digest = Sha256.ofFile(dir.resolve(file));
            files.put(file, digest);
            parameters.update(digest);
        }
        if (!preprocessing.steps().isEmpty()) {
            // The same parameters after different preprocessing are a different model.
            parameters.update(JSON.writerFor(Preprocessing.STEPS_TYPE).writeValueAsString(preprocessing.steps()));
        }
        List<CalibrationEntry> entries = writeCalibration(dir, calibration, files);
        if (reference != null) {
            reference.write(dir.resolve(REFERENCE_FILE));
            files.put(REFERENCE_FILE, Sha256.ofFile(dir.resolve(REFERENCE_FILE)));
        }
        String version = scorer.family() + "-" + parameters.hex().substring(0, 12);
        BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT_VERSION, name, version, scorer.family(),
                extractor.name(), featureLayout, extractor.featureNames(), preprocessing.steps(), trainingDataDigest, trainingEvents,
                Instant.now().toString(), files, entries);
        writeManifest(dir, manifest);
        return manifest;
    }

    /**
     * Writes one file of sorted scores per cell into {@code dir}'s {@code calibration/}, in cell-name
     * order, adds each file's digest to {@code files} and returns the manifest's entries.
     */
    public static List<CalibrationEntry> writeCalibration(Path dir, Map<String, CalibrationSet> calibration,
            Map<String, String> files) throws IOException {
        Files.createDirectories(dir.resolve("calibration"));
        List<CalibrationEntry> entries = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, CalibrationSet> cell : new TreeMap<>(calibration).entrySet()) {
            String file = String.format("calibration/cell-%03d.bin", index++);
            writeScores(dir.resolve(file), cell.getValue().sortedScores());
            files.put(file, Sha256.ofFile(dir.resolve(file)));
            entries.add(new CalibrationEntry(cell.getKey(), file, cell.getValue().size()));
        }
        return entries;
    }

    private static void writeScores(Path file, double[] scores) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (double s : scores) {
                out.writeDouble(s);
            }
        }
    }
}
