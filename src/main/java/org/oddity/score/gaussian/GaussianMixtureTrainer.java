package org.oddity.score.gaussian;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerTrainer;

/**
 * Fits a {@link GaussianMixture} by expectation-maximisation, as scikit-learn's
 * {@code GaussianMixture} (default {@code init_params='kmeans'}).
 *
 * <p>Implementation note: EM as in Dempster, Laird and Rubin, "Maximum Likelihood from
 * Incomplete Data via the EM Algorithm" (J. R. Stat. Soc. B, 1977), started and stopped as
 * scikit-learn's {@code sklearn.mixture.GaussianMixture} is: {@link KMeans} labels give one-hot
 * responsibilities, an M-step turns them into the first parameters, then E- and M-steps alternate
 * until the mean log-likelihood per event (scikit-learn's lower bound) changes by less than
 * {@link #TOLERANCE} ({@code tol=1e-3}) or {@code iterations} ({@code max_iter}) pass. Every
 * covariance gets {@link #REG_COVAR} on its diagonal ({@code reg_covar=1e-6}), and every
 * component's responsibility mass 10 machine epsilons, so a constant feature or an empty
 * component stays positive definite. Of {@code inits} ({@code n_init}) such fits, each from its
 * own k-means seeding, the one with the best final lower bound is kept. The k-means draws come
 * from a {@link SplittableRandom} with the trainer's seed, so fits repeat exactly.
 *
 * @param components number of mixture components K ({@code n_components})
 * @param iterations maximum EM iterations per fit ({@code max_iter})
 * @param diagonal   diagonal covariances if true, full otherwise ({@code covariance_type})
 * @param inits      number of fits from different k-means seedings ({@code n_init})
 * @param seed       seed of the k-means initialisations
 */
public record GaussianMixtureTrainer(int components, int iterations, boolean diagonal, int inits, long seed)
        implements ScorerTrainer {

    /** Convergence threshold on the change of mean log-likelihood per event (nats), scikit-learn's tol. */
    static final double TOLERANCE = 1e-3;
    /** Added to every covariance diagonal, scikit-learn's reg_covar. */
    static final double REG_COVAR = 1e-6;
    /** Added to every component's mass, as scikit-learn's 10 * np.finfo(float).eps, so no division is 0/0. */
    private static final double MIN_MASS = 10 * Math.ulp(1.0);

    public GaussianMixtureTrainer {
        if (components < 1) {
            throw new IllegalArgumentException("components must be positive: " + components);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must not be negative: " + iterations);
        }
        if (inits < 1) {
            throw new IllegalArgumentException("inits must be positive: " + inits);
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
        SplittableRandom random = new SplittableRandom(seed);
        double[] responsibility = new double[n * components];
        GaussianMixture best = null;
        double bestBound = Double.NEGATIVE_INFINITY;
        for (int init = 0; init < inits; init++) {
            int[] labels = KMeans.labels(x, n, d, components, random.split());
            Arrays.fill(responsibility, 0.0);
            for (int r = 0; r < n; r++) {
                responsibility[r * components + labels[r]] = 1.0;
            }
            GaussianMixture mixture = maximisation(x, n, d, responsibility);
            double bound = Double.NEGATIVE_INFINITY;
            for (int iteration = 0; iteration < iterations; iteration++) {
                double previous = bound;
                bound = expectation(mixture, x, n, d, responsibility);
                mixture = maximisation(x, n, d, responsibility);
                if (Math.abs(bound - previous) < TOLERANCE) {
                    break;
                }
            }
            // Ties (including no EM step at all) keep the earlier fit, as scikit-learn's strict ">".
            if (best == null || bound > bestBound) {
                best = mixture;
                bestBound = bound;
            }
        }
        return best;
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

    /** M-step: responsibility-weighted weights, means and covariances (plus {@link #REG_COVAR}). */
    private GaussianMixture maximisation(float[] x, int n, int d, double[] responsibility) {
        double[] weights = new double[components];
        Gaussian[] gaussians = new Gaussian[components];
        double weightSum = 0.0;
        for (int k = 0; k < components; k++) {
            double mass = MIN_MASS;
            double[] mean = new double[d];
            for (int r = 0; r < n; r++) {
                double w = responsibility[r * components + k];
                mass += w;
                for (int i = 0; i < d; i++) {
                    mean[i] += w * x[r * d + i];
                }
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
                    covariance[i] = covariance[i] / mass + REG_COVAR;
                }
            } else {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j <= i; j++) {
                        covariance[i * d + j] /= mass;
                        covariance[j * d + i] = covariance[i * d + j];
                    }
                    covariance[i * d + i] += REG_COVAR;
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

    private Gaussian make(double[] mean, double[] covariance) {
        return diagonal ? Gaussian.diagonal(mean, covariance) : Gaussian.full(mean, covariance);
    }
}
