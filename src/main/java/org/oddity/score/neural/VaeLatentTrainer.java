package org.oddity.score.neural;

import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerTrainer;

/**
 * Fits a {@link VaeLatentScorer}: trains a VAE, encoder d-h1-...-hk-(latent means, latent
 * log-variances) and mirrored decoder latent-hk-...-h1-d, ReLU inside and linear outputs, on
 * {@link VaeLoss}; keeps the encoder up to the means.
 */
public final class VaeLatentTrainer implements ScorerTrainer {

    private final int[] hidden;
    private final int latent;
    private final double beta;
    private final TrainingSchedule schedule;
    private final long seed;

    /**
     * @param hidden   widths of the encoder's hidden layers, e.g. 32; the decoder's are reversed
     * @param latent   latent dimensions
     * @param beta     weight of the KL term in the loss
     * @param schedule epochs, batch size and learning rate
     * @param seed     draws the initial weights, the row orders and the reparameterisation noise
     */
    VaeLatentTrainer(int[] hidden, int latent, double beta, TrainingSchedule schedule, long seed) {
        if (hidden.length < 1 || latent < 1 || !(beta > 0)) {
            throw new IllegalArgumentException("a VAE needs a hidden layer, a latent space and beta > 0");
        }
        this.hidden = hidden.clone();
        this.latent = latent;
        this.beta = beta;
        this.schedule = schedule;
        this.seed = seed;
    }

    @Override
    public VaeLatentScorer train(FeatureMatrix data) {
        SplittableRandom random = new SplittableRandom(seed);
        DenseNetwork encoder = encoder(data.columns(), random);
        DenseNetwork decoder = decoder(data.columns(), random);
        VaeLoss loss = new VaeLoss(encoder, decoder, beta, random.split());
        new MiniBatchDescent(VaeLatentScorer.FAMILY, schedule, random).train(data, loss);
        return new VaeLatentScorer(encoder.copy().withFirstOutputs(latent));
    }

    /** The untrained encoder for {@code features} inputs: means first, then log-variances. */
    DenseNetwork encoder(int features, SplittableRandom random) {
        return DenseNetwork.initialised(features, hidden, 2 * latent, random);
    }

    /** The untrained decoder to {@code features} outputs, its hidden widths the encoder's reversed. */
    DenseNetwork decoder(int features, SplittableRandom random) {
        int[] reversed = new int[hidden.length];
        for (int k = 0; k < hidden.length; k++) {
            reversed[k] = hidden[hidden.length - 1 - k];
        }
        return DenseNetwork.initialised(latent, reversed, features, random);
    }
}
