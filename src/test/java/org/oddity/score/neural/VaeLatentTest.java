package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oddity.score.neural.NetworkData.auc;
import static org.oddity.score.neural.NetworkData.mean;
import static org.oddity.score.neural.NetworkData.nearSubspace;
import static org.oddity.score.neural.NetworkData.scaled;
import static org.oddity.score.neural.NetworkData.scores;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oddity.score.FeatureMatrix;

/**
 * The vae-latent scorer: the score is the squared length of the encoder's latent means; training
 * lowers the VAE loss on held-out rows; rows far out along the training data's subspace score far
 * above it; bad parameters are refused naming the key.
 */
class VaeLatentTest {

    private static final int D = 12;
    private static final double NOISE = 0.1;

    private static VaeLatentScorer trained;

    @BeforeAll
    static void train() {
        trained = train(Map.of(), nearSubspace(10_000, D, 3, NOISE, 1), 7);
    }

    private static VaeLatentScorer train(Map<String, String> parameters, FeatureMatrix data, long seed) {
        return (VaeLatentScorer) new VaeLatentFamily().trainer(parameters, seed).train(data);
    }

    /** The mean VAE loss over {@code data}, with noise from a fixed seed. */
    private static double meanLoss(DenseNetwork encoder, DenseNetwork decoder, FeatureMatrix data) {
        VaeLoss loss = new VaeLoss(encoder, decoder, VaeLatentFamily.BETA, new SplittableRandom(3));
        double[][] ignored = {new double[encoder.parameters().length], new double[decoder.parameters().length]};
        float[] row = new float[D];
        double[] x = new double[D];
        double sum = 0;
        for (int r = 0; r < data.rows(); r++) {
            data.copyRow(r, row);
            for (int j = 0; j < D; j++) {
                x[j] = row[j];
            }
            sum += loss.accumulate(x, ignored);
        }
        return sum / data.rows();
    }

    @Test
    void scoreIsTheSquaredLengthOfTheLatentMeans() {
        // Encoder 2 -> 3 ReLU -> 2 linear; means (mu1, mu2) of x = (1, 2): hidden relu(1 + 2, 1 - 2, -1) = (3, 0, 0).
        DenseNetwork encoder = DenseNetwork.of(new int[] {2, 3, 2}, new Activation[] {Activation.RELU,
            Activation.LINEAR}, new double[] {1, 1, 0, 1, -1, 0, 0, 0, -1, 0.5, -1, 0, 0, 0, 0, 0.25, 0.5});
        VaeLatentScorer scorer = new VaeLatentScorer(encoder);
        // mu1 = 0.5 * 3 + 0.25 = 1.75, mu2 = -1 * 3 + 0.5 = -2.5.
        assertEquals(1.75 * 1.75 + 2.5 * 2.5, scorer.score(new float[] {1, 2}));
        assertEquals("vae-latent", scorer.family());
        assertEquals(2, scorer.featureCount());
        assertFalse(scorer.explainsFeatures());
        assertThrows(UnsupportedOperationException.class, () -> scorer.contributions(new float[2], new double[2]));
    }

    @Test
    void theScorerKeepsTheEncoderUpToTheMeans() {
        assertArrayEquals(new int[] {D, 32, 8}, trained.network().sizes());
        VaeLatentScorer narrow = train(Map.of("epochs", "1", "layers", "16,6", "latent", "3"),
                nearSubspace(500, D, 3, NOISE, 2), 1);
        assertArrayEquals(new int[] {D, 16, 6, 3}, narrow.network().sizes());
    }

    @Test
    void trainingLowersTheHeldOutLoss() {
        FeatureMatrix data = nearSubspace(10_000, D, 3, NOISE, 4);
        FeatureMatrix heldOut = nearSubspace(2_000, D, 3, NOISE, 5);
        SplittableRandom random = new SplittableRandom(6);
        DenseNetwork encoder = DenseNetwork.initialised(D, new int[] {32}, 16, random);
        DenseNetwork decoder = DenseNetwork.initialised(8, new int[] {32}, D, random);
        double before = meanLoss(encoder, decoder, heldOut);
        double[] losses = new MiniBatchDescent("vae-latent", new TrainingSchedule(10, 64, 2e-3), random).train(data,
                new VaeLoss(encoder, decoder, VaeLatentFamily.BETA, random.split()));
        double after = meanLoss(encoder, decoder, heldOut);
        assertTrue(losses[9] < losses[0], Arrays.toString(losses));
        // At the start the decoder's output is unrelated to x: the loss is about the variance, 1.01, or more.
        assertTrue(before > 1.0, "untrained loss " + before);
        // Trained, the reconstruction nears the noise floor and the KL term, 0.1 times a few nats, is most of the rest.
        assertTrue(after < 0.6 && after < before / 2, before + " -> " + after);
    }

    @Test
    void rowsFarOutAlongTheSubspaceScoreFarAboveTheBulk() {
        FeatureMatrix background = nearSubspace(2_000, D, 3, NOISE, 8);
        FeatureMatrix far = scaled(nearSubspace(2_000, D, 3, NOISE, 8), 3);
        double[] bulk = scores(trained, background);
        double[] outliers = scores(trained, far);
        assertTrue(mean(outliers) > 4 * mean(bulk), mean(outliers) + " against " + mean(bulk));
        assertTrue(auc(bulk, outliers) > 0.9, "AUC " + auc(bulk, outliers));
    }

    @Test
    void badParametersAreRefusedNamingTheKey() {
        VaeLatentFamily family = new VaeLatentFamily();
        Map<Map<String, String>, String> refused = Map.of(
                Map.of("beta", "0"), "vae-latent parameter beta=0: expected a number in (0.0, 1000.0]",
                Map.of("latent", "0"), "vae-latent parameter latent=0: expected an integer in [1, 2048]",
                Map.of("layers", "16,x"), "vae-latent parameter layers=16,x: expected 1 to 15 comma-separated integers"
                        + " in [1, 4096]",
                Map.of("epochs", "ten"), "vae-latent parameter epochs=ten: expected an integer in [1, 10000]",
                Map.of("trees", "5"), "unknown parameter trees for scorer vae-latent (known: [batch, beta, epochs,"
                        + " latent, layers, learning-rate])");
        NetworkData.assertRefused(family, refused);
    }
}
