package org.oddity.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.BundleWriter;
import org.oddity.bundle.PreprocessedExtractor;
import org.oddity.bundle.Sha256;
import org.oddity.calibrate.CellScheme;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.monitor.FeatureBinning;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerTrainer;
import org.oddity.score.preprocess.Preprocessing;

/**
 * Trains a model on reference events and calibrates it per cell on held-out events, then
 * writes the bundle. Training and calibration events must be disjoint: a score on an event the
 * model was fitted to is optimistic, and the p-values would not be valid.
 *
 * @param name          model name written into the manifest
 * @param extractor     turns events into feature vectors
 * @param featureLayout layout name of flat feature vectors, or null for trigger objects
 * @param cells         calibration cells
 * @param scorerTrainer fits the model family's scorer to the training features
 * @param preprocessing steps fitted on the training features before the scorer, as
 *                      {@link Preprocessing#fit} reads them ({@code none} for none)
 */
public record ModelTrainer(String name, FeatureExtractor extractor, String featureLayout, CellScheme cells,
        ScorerTrainer scorerTrainer, String preprocessing) {

    /** What a training run did. */
    public record Result(BundleManifest manifest, long trainingEvents, long calibrationEvents, long rejected) {
    }

    /** Quantile bins per feature of the reference histograms: about 5% of the nonzero values each. */
    static final int REFERENCE_BINS = 20;

    /** Trains on {@code training}, calibrates on {@code calibration}, writes the bundle to {@code output}. */
    public Result train(Iterator<CollisionEvent> training, Iterator<CollisionEvent> calibration, Path output,
            Progress progress) throws IOException {
        int columns = extractor.featureNames().size();
        FeatureMatrix matrix = new FeatureMatrix(columns);
        float[] row = new float[columns];
        Sha256 digest = new Sha256();
        long rejected = 0;
        long done = 0;
        while (training.hasNext()) {
            try {
                extractor.extract(training.next(), row);
                matrix.add(row);
                for (float v : row) {
                    digest.update(v);
                }
            } catch (InvalidEventException e) {
                rejected++;
            }
            progress.update(++done);
        }
        String trainingDigest = digest.hex();
        Preprocessing fitted = Preprocessing.fit(preprocessing, extractor.featureNames(), matrix);
        // The monitor bins the features the scorer sees, so the binning is fitted after preprocessing.
        FeatureBinning binning = matrix.rows() == 0 ? FeatureBinning.none()
                : FeatureBinning.fit(extractor.featureNames(), matrix, REFERENCE_BINS);
        Scorer scorer = scorerTrainer.train(matrix);
        CalibrationCollector collector = new CalibrationCollector(scorer,
                fitted.steps().isEmpty() ? extractor : new PreprocessedExtractor(extractor, fitted), cells, binning);
        long calibrated = 0;
        while (calibration.hasNext()) {
            collector.add(calibration.next());
            calibrated++;
            progress.update(++done);
        }
        BundleManifest manifest = BundleWriter.write(output, name, scorer, extractor, featureLayout, fitted,
                trainingDigest, matrix.rows(), collector.sets(),
                binning.features() == 0 ? null : collector.references());
        return new Result(manifest, matrix.rows(), calibrated - collector.rejected(), rejected + collector.rejected());
    }
}
