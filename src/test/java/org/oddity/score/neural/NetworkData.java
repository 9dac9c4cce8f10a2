package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;

/** Seeded data and measures for the network tests. */
final class NetworkData {

    /** Seed of the subspace itself, so every call with any row seed samples the same one. */
    private static final long SUBSPACE_SEED = 1234;

    private NetworkData() {
    }

    /**
     * {@code rows} rows of x = A z + noise e in R^d, with z ~ N(0, I_k), e ~ N(0, I_d) and A a
     * fixed random d x k matrix with unit rows: every feature has variance 1 + noise^2, but the
     * rows lie near a k-dimensional subspace, which an autoencoder with a bottleneck of at least
     * k can learn and independent features miss.
     */
    static FeatureMatrix nearSubspace(int rows, int d, int k, double noise, long seed) {
        SplittableRandom basis = new SplittableRandom(SUBSPACE_SEED);
        double[][] a = new double[d][k];
        for (double[] row : a) {
            double norm = 0;
            for (int c = 0; c < k; c++) {
                row[c] = basis.nextGaussian();
                norm += row[c] * row[c];
            }
            for (int c = 0; c < k; c++) {
                row[c] /= Math.sqrt(norm);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        FeatureMatrix m = new FeatureMatrix(d);
        float[] x = new float[d];
        double[] z = new double[k];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < k; c++) {
                z[c] = random.nextGaussian();
            }
            for (int j = 0; j < d; j++) {
                double v = noise * random.nextGaussian();
                for (int c = 0; c < k; c++) {
                    v += a[j][c] * z[c];
                }
                x[j] = (float) v;
            }
            m.add(x);
        }
        return m;
    }

    /** {@code data} with every value multiplied by {@code factor}, in place; returns it. */
    static FeatureMatrix scaled(FeatureMatrix data, float factor) {
        float[] row = new float[data.columns()];
        for (int r = 0; r < data.rows(); r++) {
            data.copyRow(r, row);
            for (int j = 0; j < row.length; j++) {
                row[j] *= factor;
            }
            data.setRow(r, row);
        }
        return data;
    }

    /** Asserts that {@code family} refuses each parameter set with exactly its message. */
    static void assertRefused(ScorerFamily family, Map<Map<String, String>, String> refused) {
        for (Map.Entry<Map<String, String>, String> bad : refused.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> family.trainer(bad.getKey(), 1));
            assertEquals(bad.getValue(), e.getMessage());
        }
    }

    /** The scores of every row of {@code data}. */
    static double[] scores(Scorer scorer, FeatureMatrix data) {
        double[] out = new double[data.rows()];
        float[] row = new float[data.columns()];
        for (int r = 0; r < out.length; r++) {
            data.copyRow(r, row);
            out[r] = scorer.score(row);
        }
        return out;
    }

    static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    /** Area under the ROC curve: the probability that a signal row outscores a background row, ties half. */
    static double auc(double[] background, double[] signal) {
        double[] sorted = background.clone();
        Arrays.sort(sorted);
        double wins = 0;
        for (double s : signal) {
            int below = lowerBound(sorted, s);
            int notAbove = lowerBound(sorted, Math.nextUp(s));
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) sorted.length * signal.length);
    }

    /** Index of the first value >= {@code v}. */
    private static int lowerBound(double[] sorted, double v) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
