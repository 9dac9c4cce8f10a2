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
    /**
     * Twice Adam's suggested step size (Kingma and Ba 2015), with mini-batches of 64: on 200,000
     * simulated L1 events this pair lowered the autoencoder's loss fastest per epoch of those tried
     * (batches of 32 to 256, rates 0.001 to 0.003).
     */
    static final double DEFAULT_LEARNING_RATE = 2e-3;
    static final int DEFAULT_BATCH = 64;

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
