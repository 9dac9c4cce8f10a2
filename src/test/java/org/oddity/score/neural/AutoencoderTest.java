package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oddity.score.neural.NetworkData.auc;
import static org.oddity.score.neural.NetworkData.mean;
import static org.oddity.score.neural.NetworkData.nearSubspace;
import static org.oddity.score.neural.NetworkData.scores;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.TestMatrices;

/**
 * The autoencoder: training lowers the reconstruction error far below its starting value; rows
 * off the training data's subspace score far above rows on it; the contributions are the squared
 * errors; bad parameters are refused naming the key. ({@link NetworkFamilyTest} has determinism,
 * the file round trip and concurrent scoring.)
 */
class AutoencoderTest {

    private static final int D = 12;
    private static final double NOISE = 0.1;

    private static AutoencoderScorer train(Map<String, String> parameters, FeatureMatrix data, long seed) {
        return (AutoencoderScorer) new AutoencoderFamily().trainer(parameters, seed).train(data);
    }

    private static AutoencoderScorer trained;

    @BeforeAll
    static void train() {
        trained = train(Map.of(), nearSubspace(10_000, D, 3, NOISE, 1), 7);
    }

    @Test
    void trainingLowersTheReconstructionErrorOfHeldOutRows() {
        FeatureMatrix heldOut = nearSubspace(2_000, D, 3, NOISE, 2);
        AutoencoderTrainer trainer = (AutoencoderTrainer) new AutoencoderFamily().trainer(Map.of(), 7);
        double before = mean(scores(new AutoencoderScorer(trainer.initial(D, new SplittableRandom(7))), heldOut));
        double after = mean(scores(trained, heldOut));
        // Each feature has variance 1.01; all but the noise (variance 0.01) lies in a 3-dimensional subspace that the
        // 8-wide bottleneck can hold, so a trained network's error nears the noise floor.
        assertTrue(before > 0.5, "untrained error " + before);
        assertTrue(after < 0.05, "trained error " + after);
        assertTrue(after < before / 20, before + " -> " + after);
    }

    @Test
    void lossFallsFromEpochToEpoch() {
        FeatureMatrix data = nearSubspace(5_000, D, 3, NOISE, 3);
        SplittableRandom random = new SplittableRandom(4);
        ReconstructionLoss loss = new ReconstructionLoss(DenseNetwork.initialised(D, new int[] {32, 8, 32}, D, random));
        double[] losses = new MiniBatchDescent("autoencoder", new TrainingSchedule(6, 64, 2e-3), random).train(data,
                loss);
        assertEquals(6, losses.length);
        for (int e = 1; e < losses.length; e++) {
            assertTrue(losses[e] < losses[e - 1], Arrays.toString(losses));
        }
        assertTrue(losses[5] < losses[0] / 3, Arrays.toString(losses));
    }

    @Test
    void rowsOffTheSubspaceScoreFarAboveRowsOnIt() {
        AutoencoderScorer scorer = trained;
        double[] background = scores(scorer, nearSubspace(2_000, D, 3, NOISE, 5));
        // Independent features of the same variance: nine of their twelve dimensions lie off the subspace.
        FeatureMatrix independent = TestMatrices.gaussian(2_000, D, 6);
        double[] outliers = scores(scorer, independent);
        assertTrue(mean(outliers) > 10 * mean(background), mean(outliers) + " against " + mean(background));
        assertTrue(auc(background, outliers) > 0.99, "AUC " + auc(background, outliers));
    }

    @Test
    void defaultArchitectureIsDThirtyTwoEightThirtyTwoD() {
        AutoencoderScorer scorer = train(Map.of("epochs", "1"), nearSubspace(500, 57, 3, NOISE, 9), 1);
        assertArrayEquals(new int[] {57, 32, 8, 32, 57}, scorer.network().sizes());
        assertEquals(57, scorer.featureCount());
        assertEquals("autoencoder", scorer.family());
        AutoencoderScorer wide = train(Map.of("epochs", "1", "layers", "20, 4"), nearSubspace(500, D, 3, NOISE, 9), 1);
        assertArrayEquals(new int[] {D, 20, 4, D}, wide.network().sizes());
    }

    @Test
    void contributionsAreTheSquaredErrorsAndSumToDTimesTheScore() {
        AutoencoderScorer scorer = trained;
        assertTrue(scorer.explainsFeatures());
        SplittableRandom random = new SplittableRandom(10);
        float[] x = new float[D];
        double[] terms = new double[D];
        for (int trial = 0; trial < 200; trial++) {
            for (int j = 0; j < D; j++) {
                x[j] = (float) (2 * random.nextGaussian());
            }
            scorer.contributions(x, terms);
            double[] reconstruction = scorer.outputs(x).clone();
            double sum = 0;
            for (int j = 0; j < D; j++) {
                assertEquals((x[j] - reconstruction[j]) * (x[j] - reconstruction[j]), terms[j]);
                sum += terms[j];
            }
            assertEquals(D * scorer.score(x), sum, 1e-12 * sum);
        }
        // A feature pushed far off its usual value takes the largest share.
        float[] row = new float[D];
        nearSubspace(1, D, 3, NOISE, 11).copyRow(0, row);
        row[4] += 6f;
        scorer.contributions(row, terms);
        for (int j = 0; j < D; j++) {
            assertTrue(j == 4 || terms[j] < terms[4], Arrays.toString(terms));
        }
    }

    @Test
    void badParametersAreRefusedNamingTheKey() {
        AutoencoderFamily family = new AutoencoderFamily();
        Map<Map<String, String>, String> refused = Map.of(
                Map.of("layers", "0"), "autoencoder parameter layers=0: expected 1 to 15 comma-separated integers in"
                        + " [1, 4096]",
                Map.of("layers", "32,,8"), "autoencoder parameter layers=32,,8: expected 1 to 15 comma-separated"
                        + " integers in [1, 4096]",
                Map.of("epochs", "0"), "autoencoder parameter epochs=0: expected an integer in [1, 10000]",
                Map.of("batch", "-1"), "autoencoder parameter batch=-1: expected an integer in [1, 1048576]",
                Map.of("learning-rate", "2"), "autoencoder parameter learning-rate=2: expected a number in (0.0, 1.0]",
                Map.of("beta", "1"), "unknown parameter beta for scorer autoencoder (known: [batch, epochs, layers,"
                        + " learning-rate])");
        NetworkData.assertRefused(family, refused);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> family.trainer(Map.of(), 1).train(new FeatureMatrix(3)));
        assertEquals("cannot train autoencoder on zero events", empty.getMessage());
    }
}
