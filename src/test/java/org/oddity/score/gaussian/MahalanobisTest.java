package org.oddity.score.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.Scorer;

/** The single-Gaussian scorer: fitted moments, the analytic -log density, ridge, exact round trips. */
class MahalanobisTest {

    static final double[] MU = {1.0, -2.0, 0.5};
    /** Sigma = L L^T with this lower-triangular L. */
    static final double[][] L = {{2.0, 0, 0}, {0.6, 1.0, 0}, {-0.4, 0.3, 0.5}};

    static double[] sigma() {
        double[] s = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    s[i * 3 + j] += L[i][k] * L[j][k];
                }
            }
        }
        return s;
    }

    /** {@code rows} draws from N(MU, L L^T), followed by {@code padding} zero features. */
    static FeatureMatrix sample(int rows, int padding, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FeatureMatrix m = new FeatureMatrix(3 + padding);
        float[] row = new float[3 + padding];
        double[] z = new double[3];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < 3; i++) {
                z[i] = random.nextGaussian();
            }
            for (int i = 0; i < 3; i++) {
                double v = MU[i];
                for (int k = 0; k < 3; k++) {
                    v += L[i][k] * z[k];
                }
                row[i] = (float) v;
            }
            m.add(row);
        }
        return m;
    }

    /** Analytic -log N(x; MU, Sigma): solve L y = x - mu, then 0.5 |y|^2 + 0.5 * 3 log 2pi + sum log L_ii. */
    static double analytic(double[] x) {
        double[] y = new double[3];
        double q = 0;
        double logDet = 0;
        for (int i = 0; i < 3; i++) {
            double v = x[i] - MU[i];
            for (int k = 0; k < i; k++) {
                v -= L[i][k] * y[k];
            }
            y[i] = v / L[i][i];
            q += y[i] * y[i];
            logDet += 2 * Math.log(L[i][i]);
        }
        return 0.5 * q + 0.5 * (3 * Math.log(2 * Math.PI) + logDet);
    }

    @Test
    void scoreIsTheExactNegativeLogDensity() {
        MahalanobisScorer scorer = new MahalanobisScorer(MU, sigma());
        double[] x = {2.5, -1.0, 1.5};
        assertEquals(analytic(x), scorer.score(new float[] {2.5f, -1.0f, 1.5f}), 1e-12);
        // At the mean only the constant remains: 0.5 (3 log 2pi + log det), det = (2 * 1 * 0.5)^2 = 1.
        assertEquals(1.5 * Math.log(2 * Math.PI), scorer.score(new float[] {1f, -2f, 0.5f}), 1e-12);
    }

    @Test
    void fittedMomentsMatchTheGeneratingGaussianWithinSamplingError() {
        int n = 40_000;
        MahalanobisScorer scorer = new MahalanobisTrainer().train(sample(n, 0, 1));
        double[] sigma = sigma();
        double[] mean = scorer.mean();
        double[] covariance = scorer.covariance();
        for (int i = 0; i < 3; i++) {
            // Four standard errors of the mean.
            assertEquals(MU[i], mean[i], 4 * Math.sqrt(sigma[i * 4] / n), "mean " + i);
            for (int j = 0; j < 3; j++) {
                // Var(s_ij) = (sigma_ij^2 + sigma_ii sigma_jj) / n; four standard errors.
                double se = Math.sqrt((sigma[i * 3 + j] * sigma[i * 3 + j] + sigma[i * 4] * sigma[j * 4]) / n);
                assertEquals(sigma[i * 3 + j], covariance[i * 3 + j], 4 * se, "covariance " + i + "," + j);
            }
        }
        double[] x = {2.5, -1.0, 1.5};
        assertEquals(analytic(x), scorer.score(new float[] {2.5f, -1.0f, 1.5f}), 0.05);
        assertTrue(scorer.score(new float[] {9f, 5f, -4f}) > scorer.score(new float[] {1f, -2f, 0.5f}) + 20);
    }

    @Test
    void zeroPaddedFeaturesDoNotMakeTheCovarianceSingular() {
        MahalanobisScorer scorer = new MahalanobisTrainer().train(sample(5_000, 54, 2));
        assertEquals(57, scorer.featureCount());
        float[] centre = new float[57];
        centre[0] = 1f;
        centre[1] = -2f;
        centre[2] = 0.5f;
        float[] far = centre.clone();
        far[0] = 9f;
        double atCentre = scorer.score(centre);
        assertTrue(Double.isFinite(atCentre), "centre " + atCentre);
        assertTrue(scorer.score(far) > atCentre + 5);
        float[] offPadding = centre.clone();
        offPadding[40] = 1f;
        assertTrue(scorer.score(offPadding) > atCentre + 1e3, "a value where training was constant is far out");
    }

    @Test
    void roundTripScoresBitIdentically(@TempDir Path dir) throws IOException {
        MahalanobisFamily family = new MahalanobisFamily();
        Scorer scorer = family.trainer(Map.of(), 1).train(sample(3_000, 2, 3));
        assertEquals(List.of("mahalanobis.json"), family.write(scorer, dir));
        Scorer read = family.read(dir);
        assertEquals("mahalanobis", read.family());
        assertEquals(5, read.featureCount());
        SplittableRandom random = new SplittableRandom(4);
        float[] x = new float[5];
        for (int i = 0; i < 1_000; i++) {
            for (int j = 0; j < 5; j++) {
                x[j] = (float) (3 * random.nextGaussian());
            }
            assertEquals(Double.doubleToLongBits(scorer.score(x)), Double.doubleToLongBits(read.score(x)));
        }
    }

    @Test
    void corruptFilesAreRejected(@TempDir Path dir) throws IOException {
        MahalanobisFamily family = new MahalanobisFamily();
        Path file = dir.resolve("mahalanobis.json");
        Files.writeString(file, "{\"features\":2,\"mean\":[0,0],\"covariance\":[1,0,0,\"NaN\"]}");
        assertTrue(assertThrows(IOException.class, () -> family.read(dir)).getMessage().contains("covariance[3]"));
        Files.writeString(file, "{\"features\":2,\"mean\":[0,0],\"covariance\":[1,0,0]}");
        assertTrue(assertThrows(IOException.class, () -> family.read(dir)).getMessage().contains("expected 4"));
        Files.writeString(file, "{\"features\":2,\"mean\":[0,0],\"covariance\":[1,0,0,-1]}");
        assertTrue(assertThrows(IOException.class, () -> family.read(dir)).getMessage().contains("positive definite"));
        Files.writeString(file, "{\"features\":2,\"mean\":[0,0],\"covariance\":[1,0.5,0,1]}");
        assertTrue(assertThrows(IOException.class, () -> family.read(dir)).getMessage().contains("symmetric"));
        Files.writeString(file, "{\"features\":2,\"mean\":[0,0],\"covar");
        assertThrows(IOException.class, () -> family.read(dir));
    }

    @Test
    void unknownParameterIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MahalanobisFamily().trainer(Map.of("ridge", "1"), 1));
        assertTrue(e.getMessage().contains("ridge"), e.getMessage());
    }
}
