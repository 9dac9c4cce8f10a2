package org.oddity.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Predicate;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.OdditySettings;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.FeatureVectorExtractor;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.model.ModelTrainer;
import org.oddity.score.ScorerTrainer;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.EventSource;
import org.oddity.sim.FeatureLayout;
import org.oddity.sim.SimulationPlan;

/** Trains a model bundle and reports what it did; shared by {@code train} and {@code demo}. */
final class BundleTraining {

    private BundleTraining() {
    }

    /** Trains on simulated background of the standard fill; calibration uses an independent seed. */
    static ModelTrainer.Result simulated(OdditySettings settings, String name, Path output, ScorerTrainer scorer,
            String preprocessing, long trainingEvents, long calibrationEvents, double fillSeconds, long seed, PrintStream out)
            throws IOException {
        return train(settings, name, output, scorer, preprocessing, new L1ObjectsExtractor(), null,
                new DaqSimulator(SimulationPlan.standard(trainingEvents, fillSeconds), seed),
                new DaqSimulator(SimulationPlan.standard(calibrationEvents, fillSeconds), seed + 1),
                trainingEvents + calibrationEvents, out);
    }

    /**
     * Trains on the reference events of a file read in two passes, with a seeded random fraction held
     * out for calibration. Table rows give flat feature vectors (extractor {@code features}); the
     * events of an Avro file give their trigger objects ({@code l1-objects-57}).
     */
    static ModelTrainer.Result fromFile(OdditySettings settings, String name, Path output, ScorerTrainer scorer,
            String preprocessing, EventSource trainingPass, EventSource calibrationPass, long seed, double calibrationFraction,
            Predicate<CollisionEvent> reference, PrintStream out) throws IOException {
        Optional<FeatureLayout> layout = trainingPass.featureLayout();
        FeatureExtractor extractor = layout.<FeatureExtractor>map(l -> new FeatureVectorExtractor(l.name(),
                l.featureNames())).orElseGet(L1ObjectsExtractor::new);
        return train(settings, name, output, scorer, preprocessing, extractor, layout.map(FeatureLayout::name).orElse(null),
                new HeldOutSplit(trainingPass, seed, calibrationFraction, false, reference),
                new HeldOutSplit(calibrationPass, seed, calibrationFraction, true, reference), trainingPass.knownRows(),
                out);
    }

    /**
     * Trains on {@code training}, calibrates on {@code calibration}, prints a summary to {@code out}.
     *
     * @param preprocessing feature preprocessing steps, as {@code Preprocessing.fit} reads them
     * @param extractor     turns the events into the model's features
     * @param featureLayout layout name of flat feature vectors, or null for trigger objects
     */
    static ModelTrainer.Result train(OdditySettings settings, String name, Path output, ScorerTrainer scorer,
            String preprocessing, FeatureExtractor extractor, String featureLayout, Iterator<CollisionEvent> training,
            Iterator<CollisionEvent> calibration, long expectedEvents, PrintStream out) throws IOException {
        ModelTrainer trainer = new ModelTrainer(name, extractor, featureLayout, settings.cells(), scorer,
                preprocessing);
        ModelTrainer.Result result = trainer.train(training, calibration, output,
                new ProgressBar("training + calibrating", expectedEvents));
        out.printf("model %s version %s: %,d training events, %,d calibration events, %,d rejected, %d cells -> %s%n",
                name, result.manifest().version(), result.trainingEvents(), result.calibrationEvents(),
                result.rejected(), result.manifest().calibration().size(), output);
        return result;
    }
}
