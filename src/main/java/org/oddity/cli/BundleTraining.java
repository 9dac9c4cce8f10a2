package org.oddity.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.OdditySettings;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.FeatureVectorExtractor;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.eventfile.EventSource;
import org.oddity.eventfile.FeatureLayout;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerRegistry;
import org.oddity.score.ScorerTrainer;
import org.oddity.score.hbos.HbosScorer;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.oddity.train.HeldOutSplit;
import org.oddity.train.ModelTrainer;

/**
 * Trains or imports a model bundle and reports what it did; shared by {@code train},
 * {@code import-onnx}, and {@code demo} and {@code bench} when they are given no bundle.
 */
final class BundleTraining {

    /** Simulated training events of the bundle demo and bench train when they are given none. */
    static final long DEFAULT_TRAINING_EVENTS = 200_000;
    /** What the progress bar of a training run says is going on. */
    private static final String TRAINING_TASK = "training + calibrating";
    /** Simulated calibration events of that bundle: bench's, and the least demo uses. */
    static final long DEFAULT_CALIBRATION_EVENTS = 1_000_000;

    private BundleTraining() {
    }

    /**
     * The settings with a model bundle: theirs, or else an HBOS model named {@code name} trained on
     * the standard fill into {@code dir/bundle}, seeded with {@code seed}.
     *
     * @param calibrationEvents asked only when the bundle is trained: the simulated calibration events
     */
    static OdditySettings withDefaultBundle(OdditySettings settings, Path dir, String name,
            LongSupplier calibrationEvents, long seed, PrintStream out) throws IOException {
        if (settings.modelBundle() != null) {
            return settings;
        }
        long calibration = calibrationEvents.getAsLong();
        Path bundle = dir.resolve("bundle");
        ScorerTrainer hbos = ScorerRegistry.family(HbosScorer.FAMILY).orElseThrow().trainer(Map.of(), seed);
        simulated(settings, name, bundle, hbos, "none", DEFAULT_TRAINING_EVENTS, calibration,
                SimulateCommand.STANDARD_FILL_SECONDS, seed * 1000, out);
        return settings.toBuilder().modelBundle(bundle).build();
    }

    /** Trains on simulated background of the standard fill; calibration uses an independent seed. */
    static ModelTrainer.Result simulated(OdditySettings settings, String name, Path output, ScorerTrainer scorer,
            String preprocessing, long trainingEvents, long calibrationEvents, double fillSeconds, long seed, PrintStream out)
            throws IOException {
        return train(settings, name, output, scorer, preprocessing, new L1ObjectsExtractor(), null,
                new DaqSimulator(SimulationPlan.standard(trainingEvents, fillSeconds), seed),
                simulatedCalibration(calibrationEvents, fillSeconds, seed),
                new ProgressBar(TRAINING_TASK, trainingEvents + calibrationEvents), out);
    }

    /** Calibration events of the standard fill, independent of the training events simulated with {@code seed}. */
    static DaqSimulator simulatedCalibration(long events, double fillSeconds, long seed) {
        return new DaqSimulator(SimulationPlan.standard(events, fillSeconds), seed + 1);
    }

    /**
     * Further calibration events of the standard fill for {@code oddity calibrate}, independent of
     * both the training and the calibration events that training with {@code seed} simulated.
     */
    static DaqSimulator simulatedRecalibration(long events, double fillSeconds, long seed) {
        return new DaqSimulator(SimulationPlan.standard(events, fillSeconds), seed + 2);
    }

    /**
     * Trains on the reference events of a file read in two passes, with a seeded random fraction held
     * out for calibration. Progress is of the file's rows, or else of the bytes of both passes.
     */
    static ModelTrainer.Result fromFile(OdditySettings settings, String name, Path output, ScorerTrainer scorer,
            String preprocessing, EventSource trainingPass, EventSource calibrationPass, long seed, double calibrationFraction,
            Predicate<CollisionEvent> reference, PrintStream out) throws IOException {
        return train(settings, name, output, scorer, preprocessing, extractorOf(trainingPass), layoutOf(trainingPass),
                new HeldOutSplit(trainingPass, seed, calibrationFraction, false, reference),
                new HeldOutSplit(calibrationPass, seed, calibrationFraction, true, reference),
                trainingPass.knownRows() <= 0 && trainingPass.knownBytes() > 0
                        ? ProgressBar.ofBytes(TRAINING_TASK, 2 * trainingPass.knownBytes(),
                                () -> trainingPass.bytesRead() + calibrationPass.bytesRead())
                        : new ProgressBar(TRAINING_TASK, trainingPass.knownRows()), out);
    }

    /**
     * The extractor of a file's events: table rows give flat feature vectors (extractor
     * {@code features}); the events of an Avro file give their trigger objects ({@code l1-objects-57}).
     */
    static FeatureExtractor extractorOf(EventSource events) {
        return events.featureLayout().<FeatureExtractor>map(l -> new FeatureVectorExtractor(l.name(),
                l.featureNames())).orElseGet(L1ObjectsExtractor::new);
    }

    /** The model name a file gives: its name without the extension. */
    static String nameOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Layout name of a file's flat feature vectors, or null for trigger objects. */
    static String layoutOf(EventSource events) {
        return events.featureLayout().map(FeatureLayout::name).orElse(null);
    }

    /**
     * Calibrates {@code scorer}, fitted outside oddity, per cell on {@code calibration} and writes
     * its bundle. Its trainer returns it as it is, from no events, so the manifest records no
     * training events.
     */
    static ModelTrainer.Result imported(OdditySettings settings, String name, Path output, Scorer scorer,
            FeatureExtractor extractor, String featureLayout, Iterator<CollisionEvent> calibration,
            ProgressBar progress, PrintStream out) throws IOException {
        // An imported model brings its own preprocessing inside it; oddity adds none.
        return train(settings, name, output, data -> scorer, "none", extractor, featureLayout,
                Collections.emptyIterator(),
                calibration, progress, out);
    }

    /**
     * Trains on {@code training}, calibrates on {@code calibration}, prints a summary to {@code out}.
     *
     * @param preprocessing feature preprocessing steps, as {@code Preprocessing.fit} reads them
     * @param extractor     turns the events into the model's features
     * @param featureLayout layout name of flat feature vectors, or null for trigger objects
     */
    private static ModelTrainer.Result train(OdditySettings settings, String name, Path output, ScorerTrainer scorer,
            String preprocessing, FeatureExtractor extractor, String featureLayout, Iterator<CollisionEvent> training,
            Iterator<CollisionEvent> calibration, ProgressBar progress, PrintStream out)
            throws IOException {
        ModelTrainer trainer = new ModelTrainer(name, extractor, featureLayout, settings.calibration().cells(), scorer,
                preprocessing);
        ModelTrainer.Result result = trainer.train(training, calibration, output, progress);
        out.printf("model %s version %s: %,d training events, %,d calibration events, %,d rejected, %d cells -> %s%n",
                name, result.manifest().version(), result.trainingEvents(), result.calibrationEvents(),
                result.rejected(), result.manifest().calibration().size(), output);
        return result;
    }
}
