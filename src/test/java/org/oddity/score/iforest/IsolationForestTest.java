package org.oddity.score.iforest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oddity.score.TestMatrices.gaussian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.score.FeatureMatrix;

/** The isolation forest: the paper's normalisation, outliers isolated early, exact round trips. */
class IsolationForestTest {

    @Test
    void averagePathLengthFollowsThePaper() {
        assertEquals(0.0, IsolationForest.averagePathLength(1));
        assertEquals(1.0, IsolationForest.averagePathLength(2));
        // c(256) = 2 (ln 255 + gamma) - 2 * 255 / 256 = 10.2448...
        assertEquals(10.2448, IsolationForest.averagePathLength(256), 1e-4);
    }

    @Test
    void outliersScoreHigherThanTheBulk() {
        IsolationForest forest = new IsolationForestTrainer(100, 256, 7).train(gaussian(5_000, 4, 1));
        double centre = forest.score(new float[] {0, 0, 0, 0});
        double outlier = forest.score(new float[] {6, -6, 6, 0});
        assertTrue(centre < 0.5, "centre " + centre);
        assertTrue(outlier > 0.65, "outlier " + outlier);
        // Scores lie in (0, 1]: 2^(-E[h]/c).
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 1_000; i++) {
            float[] x = {(float) random.nextGaussian(), (float) random.nextGaussian(), 0, 0};
            double s = forest.score(x);
            assertTrue(s > 0 && s <= 1, "score " + s);
        }
    }

    @Test
    void meanScoreOfTheTrainingBulkIsNearOneHalfAndOutliersAreRankedFirst() {
        FeatureMatrix data = gaussian(20_000, 3, 2);
        IsolationForest forest = new IsolationForestTrainer(100, 256, 11).train(data);
        double sum = 0;
        float[] row = new float[3];
        for (int r = 0; r < 2_000; r++) {
            data.copyRow(r, row);
            sum += forest.score(row);
        }
        // For bulk points E[h] is close to c(psi), so s is close to 2^-1 (Liu et al. 2008, section 2).
        double mean = sum / 2_000;
        assertTrue(mean > 0.35 && mean < 0.5, "mean bulk score " + mean);
        double[] radiusScores = new double[6];
        for (int k = 0; k < radiusScores.length; k++) {
            radiusScores[k] = forest.score(new float[] {k, 0, 0});
        }
        // Non-decreasing with distance; beyond the training range every tree isolates the point at
        // the same node, so the score saturates rather than keeps growing.
        for (int k = 1; k < radiusScores.length; k++) {
            assertTrue(radiusScores[k] >= radiusScores[k - 1], "decreasing with distance: " + Arrays.toString(radiusScores));
        }
        assertTrue(radiusScores[3] > radiusScores[0] + 0.15, Arrays.toString(radiusScores));
    }

    @Test
    void constantFeaturesAreNeverSplitOn() {
        FeatureMatrix data = new FeatureMatrix(3);
        SplittableRandom random = new SplittableRandom(5);
        for (int r = 0; r < 1_000; r++) {
            data.add(new float[] {0f, (float) random.nextGaussian(), 7f});
        }
        IsolationForest forest = new IsolationForestTrainer(10, 128, 1).train(data);
        for (int f : forest.splitFeature()) {
            assertTrue(f == -1 || f == 1, "split on constant feature " + f);
        }
    }

    @Test
    void trainingIsDeterministicPerSeed() {
        FeatureMatrix data = gaussian(3_000, 5, 9);
        IsolationForest a = new IsolationForestTrainer(20, 64, 4).train(data);
        IsolationForest b = new IsolationForestTrainer(20, 64, 4).train(data);
        IsolationForest c = new IsolationForestTrainer(20, 64, 5).train(data);
        assertTrue(Arrays.equals(a.splitValueOrPathLength(), b.splitValueOrPathLength()));
        assertTrue(!Arrays.equals(a.splitValueOrPathLength(), c.splitValueOrPathLength()));
    }

    @Test
    void codecRoundTripIsBitIdenticalAndDamageIsRefused(@TempDir Path dir) throws IOException {
        IsolationForest forest = new IsolationForestTrainer(50, 256, 2).train(gaussian(5_000, 6, 3));
        IsolationForestFamily codec = new IsolationForestFamily();
        codec.write(forest, dir);
        IsolationForest read = (IsolationForest) codec.read(dir);
        SplittableRandom random = new SplittableRandom(8);
        float[] x = new float[6];
        for (int i = 0; i < 1_000; i++) {
            for (int f = 0; f < x.length; f++) {
                x[f] = (float) (3 * random.nextGaussian());
            }
            assertEquals(Double.doubleToLongBits(forest.score(x)), Double.doubleToLongBits(read.score(x)));
        }
        Path file = dir.resolve(IsolationForestFamily.FILE);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertTrue(assertThrows(IOException.class, () -> codec.read(dir)).getMessage().contains("truncated"));
        byte[] badChild = bytes.clone();
        // The first node is the first tree's root, an inner node: point its right child at itself.
        int firstNode = 20 + 4 * forest.trees();
        badChild[firstNode + 8] = 0;
        badChild[firstNode + 9] = 0;
        badChild[firstNode + 10] = 0;
        badChild[firstNode + 11] = 0;
        Files.write(file, badChild);
        assertTrue(assertThrows(IOException.class, () -> codec.read(dir)).getMessage().contains("children"));
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertTrue(assertThrows(IOException.class, () -> codec.read(dir)).getMessage().contains("not an isolation"));
    }
}
