package org.oddity.score.neural;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.oddity.score.TrainingParameters;

/**
 * How long and how fast a network trains: {@code epochs} passes over the data in mini-batches
 * of {@code batch} rows, with Adam's step size {@code learningRate}.
 */
record TrainingSchedule(int epochs, int batch, double learningRate) {

    private static final Set<String> KEYS = Set.of("epochs", "batch", "learning-rate");
    /** Adam's suggested step size (Kingma and Ba 2015). */
    static final double DEFAULT_LEARNING_RATE = 1e-3;
    static final int DEFAULT_BATCH = 128;

    TrainingSchedule {
        if (epochs < 1 || batch < 1 || !(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("need epochs >= 1, batch >= 1 and a finite learning rate > 0; got "
                    + epochs + ", " + batch + ", " + learningRate);
        }
    }

    /** The parameter names {@link #of} reads, and {@code more}. */
    static Set<String> keysWith(String... more) {
        Set<String> keys = new HashSet<>(KEYS);
        keys.addAll(List.of(more));
        return keys;
    }

    /** The schedule named by {@code p}'s {@code epochs}, {@code batch} and {@code learning-rate}. */
    static TrainingSchedule of(TrainingParameters p, int defaultEpochs) {
        return new TrainingSchedule(p.integer("epochs", defaultEpochs, 1, 10_000), p.integer("batch", DEFAULT_BATCH,
                1, 1 << 20), p.real("learning-rate", DEFAULT_LEARNING_RATE, 0.0, 1.0));
    }
}
