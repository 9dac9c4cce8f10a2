package org.oddity.score.kde;

import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerTrainer;

/**
 * Fits a {@link KdeScorer}: a seeded subsample of reference points and one bandwidth chosen by
 * leave-one-out likelihood cross-validation.
 *
 * <p>Implementation note: h maximises the leave-one-out log-likelihood
 * sum_i log((1/(m-1)) sum_{j != i} K_h(x_i - x_j)) (Habbema, Hermans and van den Broek 1974;
 * Duin 1976) over a log-spaced grid around Silverman's normal-reference rule
 * h_S = (4 / ((k + 2) m))^(1 / (k + 4)) (Silverman 1986, eq. 4.14). The pairwise squared
 * distances are computed once, so each grid point costs m^2 exponentials; the row minimum of
 * the distances is the log-sum-exp shift, so no term overflows. The criterion is unbounded as
 * h goes to 0 when reference points coincide; the grid's lower end keeps h away from 0.
 *
 * @param points     reference points m (fewer if the data has fewer rows)
 * @param bandwidths number of grid bandwidths tried
 * @param seed       seed of the reference subsample
 */
public record KdeTrainer(int points, int bandwidths, long seed) implements ScorerTrainer {

    /** Grid ends as multiples of Silverman's rule. */
    static final double GRID_LOW = 0.05;
    static final double GRID_HIGH = 5.0;

    public KdeTrainer {
        if (points < 2 || bandwidths < 2) {
            throw new IllegalArgumentException("need at least 2 points and 2 bandwidths: " + points + ", " + bandwidths);
        }
    }

    /** Silverman's rule, the LOO criterion on the grid, and the reference points it was computed on. */
    record BandwidthSearch(double silverman, double[] grid, double[] criterion, int best, double[] sigma,
            double[] points) {
    }

    @Override
    public KdeScorer train(FeatureMatrix data) {
        BandwidthSearch search = search(data);
        return new KdeScorer(data.columns(), search.grid()[search.best()], search.sigma(), search.points());
    }

    BandwidthSearch search(FeatureMatrix data) {
        int n = data.rows();
        if (n < 2) {
            throw new IllegalArgumentException("a kernel density estimate needs at least 2 training rows");
        }
        int d = data.columns();
        double[] mean = new double[d];
        double[] sigma = new double[d];
        for (int c = 0; c < d; c++) {
            float[] column = data.column(c);
            double sum = 0.0;
            for (float v : column) {
                sum += v;
            }
            mean[c] = sum / n;
            double squares = 0.0;
            for (float v : column) {
                squares += (v - mean[c]) * (v - mean[c]);
            }
            sigma[c] = Math.sqrt(squares / (n - 1));
            if (!Double.isFinite(sigma[c])) {
                throw new IllegalArgumentException("feature " + c + " has a non-finite value in the training data");
            }
        }
        int m = Math.min(points, n);
        int[] rows = subsample(n, m);
        double[] reference = new double[m * d];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < d; c++) {
                reference[j * d + c] = data.get(rows[j], c);
            }
        }
        int k = 0;
        for (double s : sigma) {
            if (s > 0) {
                k++;
            }
        }
        double[] squaredDistance = squaredDistances(reference, m, d, mean, sigma);
        double[] nearest = new double[m];
        for (int i = 0; i < m; i++) {
            double min = Double.POSITIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (j != i) {
                    min = Math.min(min, squaredDistance[i * m + j]);
                }
            }
            nearest[i] = min;
        }
        double silverman = Math.pow(4.0 / ((k + 2.0) * m), 1.0 / (k + 4.0));
        double[] grid = new double[bandwidths];
        double[] criterion = new double[bandwidths];
        int best = 0;
        for (int g = 0; g < bandwidths; g++) {
            grid[g] = silverman * GRID_LOW * Math.pow(GRID_HIGH / GRID_LOW, g / (bandwidths - 1.0));
            criterion[g] = leaveOneOutLogLikelihood(squaredDistance, nearest, m, k, grid[g]);
            if (criterion[g] > criterion[best]) {
                best = g;
            }
        }
        return new BandwidthSearch(silverman, grid, criterion, best, sigma, reference);
    }

    /** The first m indices of a partial Fisher-Yates shuffle of 0..n-1: a uniform sample without replacement. */
    private int[] subsample(int n, int m) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            int j = random.nextInt(i, n);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        int[] out = new int[m];
        System.arraycopy(all, 0, out, 0, m);
        return out;
    }

    /** Squared Euclidean distances between standardized points, [m][m]; zero-variance features left out. */
    private static double[] squaredDistances(double[] reference, int m, int d, double[] mean, double[] sigma) {
        double[] z = new double[m * d];
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < d; c++) {
                z[j * d + c] = sigma[c] > 0 ? (reference[j * d + c] - mean[c]) / sigma[c] : 0.0;
            }
        }
        double[] out = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double s = 0.0;
                for (int c = 0; c < d; c++) {
                    double diff = z[i * d + c] - z[j * d + c];
                    s += diff * diff;
                }
                out[i * m + j] = s;
                out[j * m + i] = s;
            }
        }
        return out;
    }

    /**
     * sum_i log((1/(m-1)) sum_{j != i} N_k(z_i - z_j; 0, h^2 I)), with {@code nearest[i]} the
     * smallest squared distance in row i as the log-sum-exp shift.
     */
    static double leaveOneOutLogLikelihood(double[] squaredDistance, double[] nearest, int m, int k, double h) {
        double inverseTwoH2 = 1.0 / (2.0 * h * h);
        double total = 0.0;
        for (int i = 0; i < m; i++) {
            double shift = nearest[i] * inverseTwoH2;
            double sum = 0.0;
            for (int j = 0, row = i * m; j < m; j++) {
                if (j != i) {
                    sum += Math.exp(shift - squaredDistance[row + j] * inverseTwoH2);
                }
            }
            total += Math.log(sum) - shift;
        }
        return total - m * (Math.log(m - 1.0) + k * Math.log(h) + 0.5 * k * Math.log(2.0 * Math.PI));
    }
}
