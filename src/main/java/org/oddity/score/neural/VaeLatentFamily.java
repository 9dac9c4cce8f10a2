package org.oddity.score.neural;

import java.util.Map;
import org.oddity.score.ScorerTrainer;
import org.oddity.score.TrainingParameters;

/**
 * The vae-latent family: trained with parameters {@code layers} (encoder hidden widths, mirrored
 * by the decoder, default 32), {@code latent} (default 8), {@code beta} (KL weight, default
 * {@value #BETA}), {@code epochs} (default {@value #EPOCHS}), {@code batch} (default 64) and
 * {@code learning-rate} (default 0.002) on log-pt, standardized features; stored as
 * {@code vae-latent.bin} ({@link NetworkFile}), the encoder up to the latent means.
 */
public final class VaeLatentFamily extends NetworkFamily {

    static final NetworkFile FILE = new NetworkFile("vae-latent.bin", 0x4F44564C, VaeLatentScorer.FAMILY);
    static final int EPOCHS = 10;
    static final double BETA = 0.1;
    private static final int[] LAYERS = {32};

    public VaeLatentFamily() {
        super(FILE, VaeLatentScorer::new);
    }

    @Override
    public ScorerTrainer trainer(Map<String, String> parameters, long seed) {
        TrainingParameters p = new TrainingParameters(VaeLatentScorer.FAMILY, parameters,
                TrainingSchedule.keysWith("layers", "latent", "beta"));
        return new VaeLatentTrainer(p.integers("layers", LAYERS, DenseNetwork.MAX_LAYERS - 1, 1,
                DenseNetwork.MAX_WIDTH), p.integer("latent", 8, 1, DenseNetwork.MAX_WIDTH / 2),
                p.real("beta", BETA, 0.0, 1_000.0), TrainingSchedule.of(p, EPOCHS), seed);
    }
}
