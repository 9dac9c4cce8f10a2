package org.oddity.score.gaussian;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerTrainer;

/**
 * Fits a {@link GaussianMixture} by expectation-maximisation.
 *
 * <p>Implementation note: EM as in Dempster, Laird and Rubin, "Maximum Likelihood from
 * Incomplete Data via the EM Algorithm" (J. R. Stat. Soc. B, 1977). Means start at
 * k-means++-style seeds (Arthur and Vassilvitskii, 2007: each next seed drawn with probability
 * proportional to its squared distance from the nearest seed so far), drawn from a
 * {@link SplittableRandom} with the trainer's seed, so fits repeat exactly; every component
 * starts with the pooled covariance and equal weight. Each covariance gets the same ridge as
 * {@link MahalanobisTrainer}, relative to the pooled trace, so constant features and small
 * components stay positive definite. EM stops after {@code iterations} steps or once the mean
 * log-likelihood per event improves by less than {@link #TOLERANCE}.
 *
 * @param components number of mixture components K
 * @param iterations maximum EM iterations
 * @param diagonal   diagonal covariances if true, full otherwise
 * @param seed       seed of the k-means++ initialisation
 */
public record GaussianMixtureTrainer(int components, int iterations, boolean diagonal, long seed)
        implements ScorerTrainer {

    /** Convergence threshold on the mean log-likelihood per event (nats). */
    static final double TOLERANCE = 1e-7;
    /** A component with less responsibility than this keeps its previous shape, avoiding 0/0. */
    private static final double MIN_MASS = 1e-9;

    public GaussianMixtureTrainer {
        if (components < 1) {
            throw new IllegalArgumentException("components must be positive: " + components);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must not be negative: " + iterations);
        }
    }

    @Override
    public GaussianMixture train(FeatureMatrix data) {
        int n = data.rows();
        int d = data.columns();
        if (n < components) {
            throw new IllegalArgumentException("cannot fit " + components + " components to " + n + " events");
        }
        float[] x = new float[n * d];
        float[] row = new float[d];
        for (int r = 0; r < n; r++) {
            data.copyRow(r, row);
            System.arraycopy(row, 0, x, r * d, d);
        }
        double[] pooled = new MahalanobisTrainer().train(data).covariance();
        double trace = 0.0;
        for (int i = 0; i < d; i++) {
            trace += pooled[i * d + i];
        }
        double ridge = Gaussian.ridge(trace, d);

        double[] weights = new double[components];
        Gaussian[] gaussians = new Gaussian[components];
        double[][] seeds = seeds(x, n, d);
        for (int k = 0; k < components; k++) {
            weights[k] = 1.0 / components;
            gaussians[k] = make(seeds[k], diagonal ? diagonalOf(pooled, d) : pooled);
        }
        GaussianMixture mixture = new GaussianMixture(weights, gaussians);
        double[] responsibility = new double[n * components];
        double previous = Double.NEGATIVE_INFINITY;
        for (int iteration = 0; iteration < iterations; iteration++) {
            double logLikelihood = expectation(mixture, x, n, d, responsibility);
            if (logLikelihood - previous < TOLERANCE) {
                break;
            }
            previous = logLikelihood;
            mixture = maximisation(mixture, x, n, d, responsibility, ridge);
        }
        return mixture;
    }

    /** E-step: fills responsibilities r_ik; returns the mean log-likelihood per event. */
    private double expectation(GaussianMixture mixture, float[] x, int n, int d, double[] responsibility) {
        double total = 0.0;
        for (int r = 0; r < n; r++) {
            int base = r * components;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < components; k++) {
                double term = Math.log(mixture.weight(k)) - mixture.component(k).negLogDensity(x, r * d);
                responsibility[base + k] = term;
                max = Math.max(max, term);
            }
            double sum = 0.0;
            for (int k = 0; k < components; k++) {
                sum += Math.exp(responsibility[base + k] - max);
            }
            double logDensity = max + Math.log(sum);
            for (int k = 0; k < components; k++) {
                responsibility[base + k] = Math.exp(responsibility[base + k] - logDensity);
            }
            total += logDensity;
        }
        return total / n;
    }

    /** M-step: responsibility-weighted weights, means and covariances (plus the ridge). */
    private GaussianMixture maximisation(GaussianMixture old, float[] x, int n, int d, double[] responsibility,
            double ridge) {
        double[] weights = new double[components];
        Gaussian[] gaussians = new Gaussian[components];
        double weightSum = 0.0;
        for (int k = 0; k < components; k++) {
            double mass = 0.0;
            double[] mean = new double[d];
            for (int r = 0; r < n; r++) {
                double w = responsibility[r * components + k];
                mass += w;
                for (int i = 0; i < d; i++) {
                    mean[i] += w * x[r * d + i];
                }
            }
            if (mass < MIN_MASS) {
                weights[k] = MIN_MASS / n;
                gaussians[k] = old.component(k);
                weightSum += weights[k];
                continue;
            }
            for (int i = 0; i < d; i++) {
                mean[i] /= mass;
            }
            double[] centred = new double[d];
            double[] covariance = new double[diagonal ? d : d * d];
            for (int r = 0; r < n; r++) {
                double w = responsibility[r * components + k];
                for (int i = 0; i < d; i++) {
                    centred[i] = x[r * d + i] - mean[i];
                }
                if (diagonal) {
                    for (int i = 0; i < d; i++) {
                        covariance[i] += w * centred[i] * centred[i];
                    }
                } else {
                    for (int i = 0; i < d; i++) {
                        double wi = w * centred[i];
                        int rowStart = i * d;
                        for (int j = 0; j <= i; j++) {
                            covariance[rowStart + j] += wi * centred[j];
                        }
                    }
                }
            }
            if (diagonal) {
                for (int i = 0; i < d; i++) {
                    covariance[i] = covariance[i] / mass + ridge;
                }
            } else {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j <= i; j++) {
                        covariance[i * d + j] /= mass;
                        covariance[j * d + i] = covariance[i * d + j];
                    }
                    covariance[i * d + i] += ridge;
                }
            }
            weights[k] = mass / n;
            weightSum += weights[k];
            gaussians[k] = make(mean, covariance);
        }
        for (int k = 0; k < components; k++) {
            weights[k] /= weightSum;
        }
        return new GaussianMixture(weights, gaussians);
    }

    /** k-means++ seeds: the first uniform, each next with probability proportional to D^2. */
    private double[][] seeds(float[] x, int n, int d) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] seeds = new double[components][];
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        int chosen = random.nextInt(n);
        for (int k = 0; k < components; k++) {
            seeds[k] = new double[d];
            for (int i = 0; i < d; i++) {
                seeds[k][i] = x[chosen * d + i];
            }
            if (k == components - 1) {
                break;
            }
            double total = 0.0;
            for (int r = 0; r < n; r++) {
                double distance = 0.0;
                for (int i = 0; i < d; i++) {
                    double diff = x[r * d + i] - seeds[k][i];
                    distance += diff * diff;
                }
                nearest[r] = Math.min(nearest[r], distance);
                total += nearest[r];
            }
            if (total > 0.0) {
                double target = random.nextDouble() * total;
                chosen = n - 1;
                double cumulative = 0.0;
                for (int r = 0; r < n; r++) {
                    cumulative += nearest[r];
                    if (cumulative > target) {
                        chosen = r;
                        break;
                    }
                }
            } else {
                // Every event coincides with a seed: any row is as good as another.
                chosen = random.nextInt(n);
            }
        }
        return seeds;
    }

    private Gaussian make(double[] mean, double[] covariance) {
        return diagonal ? Gaussian.diagonal(mean, covariance) : Gaussian.full(mean, covariance);
    }

    private static double[] diagonalOf(double[] covariance, int d) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = covariance[i * d + i];
        }
        return out;
    }
}
