package org.oddity.score.neural;

import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerTrainer;

/**
 * Fits an {@link AutoencoderScorer}: a d-h1-...-hk-d network, ReLU on the hidden layers and a
 * linear output, trained to reproduce the training rows by {@link ReconstructionLoss}.
 */
public final class AutoencoderTrainer implements ScorerTrainer {

    private final int[] hidden;
    private final TrainingSchedule schedule;
    private final long seed;

    /**
     * @param hidden   widths of the hidden layers, e.g. 32, 8, 32
     * @param schedule epochs, batch size and learning rate
     * @param seed     draws the initial weights and the row orders
     */
    AutoencoderTrainer(int[] hidden, TrainingSchedule schedule, long seed) {
        if (hidden.length < 1) {
            throw new IllegalArgumentException("an autoencoder needs at least one hidden layer");
        }
        this.hidden = hidden.clone();
        this.schedule = schedule;
        this.seed = seed;
    }

    @Override
    public AutoencoderScorer train(FeatureMatrix data) {
        SplittableRandom random = new SplittableRandom(seed);
        DenseNetwork network = initial(data.columns(), random);
        new MiniBatchDescent(AutoencoderScorer.FAMILY, schedule, random).train(data, new ReconstructionLoss(network));
        return new AutoencoderScorer(network.copy());
    }

    /** The untrained network for {@code features} inputs, as {@link #train} starts from it. */
    DenseNetwork initial(int features, SplittableRandom random) {
        return DenseNetwork.initialised(features, hidden, features, random);
    }
}
