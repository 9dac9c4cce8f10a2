package org.oddity.score.gaussian;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Hard k-means clustering of row-major data, as scikit-learn's {@code KMeans} (default
 * {@code init='k-means++'}, {@code algorithm='lloyd'}) that {@code GaussianMixture} uses to start
 * EM.
 *
 * <p>Implementation note: greedy k-means++ seeding (Arthur and Vassilvitskii, "k-means++: The
 * Advantages of Careful Seeding", SODA 2007, with scikit-learn's 2 + ln k candidate draws per
 * centre, keeping the one that lowers the potential most), then Lloyd iterations until no label
 * changes or the total squared centre shift falls to {@link #TOLERANCE} times the mean feature
 * variance, at most {@link #MAX_ITERATIONS} times: scikit-learn's defaults {@code tol=1e-4},
 * {@code max_iter=300}. A cluster left empty keeps its centre, where scikit-learn moves it to a
 * far point; with k-means++ seeds on continuous data that does not arise.
 */
final class KMeans {

    static final double TOLERANCE = 1e-4;
    static final int MAX_ITERATIONS = 300;

    private KMeans() {
    }

    /** The cluster, 0 to k-1, of each of the n rows of {@code x} (n x d row-major). */
    static int[] labels(float[] x, int n, int d, int k, SplittableRandom random) {
        double[] centres = seeds(x, n, d, k, random);
        int[] labels = new int[n];
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        double tolerance = TOLERANCE * meanVariance(x, n, d);
        assign(x, n, d, k, centres, labels);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            Arrays.fill(sums, 0.0);
            Arrays.fill(counts, 0);
            for (int r = 0; r < n; r++) {
                counts[labels[r]]++;
                for (int i = 0; i < d; i++) {
                    sums[labels[r] * d + i] += x[r * d + i];
                }
            }
            double shift = 0.0;
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    continue;
                }
                for (int i = 0; i < d; i++) {
                    double moved = sums[c * d + i] / counts[c];
                    shift += (moved - centres[c * d + i]) * (moved - centres[c * d + i]);
                    centres[c * d + i] = moved;
                }
            }
            boolean changed = assign(x, n, d, k, centres, labels);
            if (!changed || shift <= tolerance) {
                break;
            }
        }
        return labels;
    }

    /** Labels each row with its nearest centre; returns whether any label changed. */
    private static boolean assign(float[] x, int n, int d, int k, double[] centres, int[] labels) {
        boolean changed = false;
        for (int r = 0; r < n; r++) {
            int best = 0;
            double nearest = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double distance = squaredDistance(x, r, centres, c, d);
                if (distance < nearest) {
                    nearest = distance;
                    best = c;
                }
            }
            changed |= labels[r] != best;
            labels[r] = best;
        }
        return changed;
    }

    /** Greedy k-means++: each centre the best of 2 + ln k rows drawn with probability proportional to D^2. */
    private static double[] seeds(float[] x, int n, int d, int k, SplittableRandom random) {
        int trials = 2 + (int) Math.log(k);
        double[] centres = new double[k * d];
        double[] nearest = new double[n];
        double[] candidate = new double[n];
        int first = random.nextInt(n);
        copyRow(x, first, centres, 0, d);
        double potential = 0.0;
        for (int r = 0; r < n; r++) {
            nearest[r] = squaredDistance(x, r, centres, 0, d);
            potential += nearest[r];
        }
        for (int c = 1; c < k; c++) {
            int bestRow = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            double[] bestNearest = null;
            for (int t = 0; t < trials; t++) {
                int row = drawByWeight(nearest, n, random.nextDouble() * potential);
                copyRow(x, row, centres, c, d);
                double total = 0.0;
                for (int r = 0; r < n; r++) {
                    candidate[r] = Math.min(nearest[r], squaredDistance(x, r, centres, c, d));
                    total += candidate[r];
                }
                if (total < bestPotential) {
                    bestPotential = total;
                    bestRow = row;
                    bestNearest = candidate.clone();
                }
            }
            copyRow(x, bestRow, centres, c, d);
            nearest = bestNearest;
            potential = bestPotential;
        }
        return centres;
    }

    /** The first row whose cumulative weight exceeds {@code target}: the last row if rounding leaves none. */
    private static int drawByWeight(double[] weights, int n, double target) {
        double cumulative = 0.0;
        for (int r = 0; r < n; r++) {
            cumulative += weights[r];
            if (cumulative > target) {
                return r;
            }
        }
        return n - 1;
    }

    private static double meanVariance(float[] x, int n, int d) {
        double total = 0.0;
        for (int i = 0; i < d; i++) {
            double mean = 0.0;
            for (int r = 0; r < n; r++) {
                mean += x[r * d + i];
            }
            mean /= n;
            double squares = 0.0;
            for (int r = 0; r < n; r++) {
                squares += (x[r * d + i] - mean) * (x[r * d + i] - mean);
            }
            total += squares / n;
        }
        return total / d;
    }

    private static double squaredDistance(float[] x, int row, double[] centres, int centre, int d) {
        double sum = 0.0;
        for (int i = 0; i < d; i++) {
            double diff = x[row * d + i] - centres[centre * d + i];
            sum += diff * diff;
        }
        return sum;
    }

    private static void copyRow(float[] x, int row, double[] centres, int centre, int d) {
        for (int i = 0; i < d; i++) {
            centres[centre * d + i] = x[row * d + i];
        }
    }
}
