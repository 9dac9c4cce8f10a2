package org.oddity.score.neural;

import java.util.Map;
import org.oddity.score.ScorerTrainer;
import org.oddity.score.TrainingParameters;

/**
 * The autoencoder family: trained with parameters {@code layers} (hidden widths, default
 * 32,8,32), {@code epochs} (default {@value #EPOCHS}), {@code batch} (default 64) and
 * {@code learning-rate} (default 0.002) on log-pt, standardized features; stored as
 * {@code autoencoder.bin} ({@link NetworkFile}).
 */
public final class AutoencoderFamily extends NetworkFamily {

    static final NetworkFile FILE = new NetworkFile("autoencoder.bin", 0x4F444145, AutoencoderScorer.FAMILY);
    static final int EPOCHS = 10;
    private static final int[] LAYERS = {32, 8, 32};

    public AutoencoderFamily() {
        super(FILE, AutoencoderScorer::new);
    }

    @Override
    public ScorerTrainer trainer(Map<String, String> parameters, long seed) {
        TrainingParameters p = new TrainingParameters(AutoencoderScorer.FAMILY, parameters,
                TrainingSchedule.keysWith("layers"));
        return new AutoencoderTrainer(p.integers("layers", LAYERS, DenseNetwork.MAX_LAYERS - 1, 1,
                DenseNetwork.MAX_WIDTH), TrainingSchedule.of(p, EPOCHS), seed);
    }
}
