package org.oddity.sim;

import java.util.SplittableRandom;

/** Primitive-valued samplers over one seeded SplittableRandom; not thread-safe. */
final class RandomVariates {

    private final SplittableRandom random;
    /** The polar method yields Gaussians in pairs; the second is kept for the next call. */
    private double spareGaussian;
    private boolean hasSpareGaussian;

    RandomVariates(long seed) {
        this(new SplittableRandom(seed));
    }

    /** Samplers over a given generator, e.g. an independent stream split off another. */
    RandomVariates(SplittableRandom random) {
        this.random = random;
    }

    double uniform() {
        return random.nextDouble();
    }

    double uniform(double low, double high) {
        return low + (high - low) * random.nextDouble();
    }

    int uniformInt(int lowInclusive, int highInclusive) {
        return random.nextInt(lowInclusive, highInclusive + 1);
    }

    boolean bernoulli(double probability) {
        return random.nextDouble() < probability;
    }

    /** Marsaglia's polar method: no trigonometric calls. */
    double gaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * random.nextDouble() - 1.0;
            v = 2.0 * random.nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.sqrt(-2.0 * Math.log(s) / s);
        spareGaussian = v * factor;
        hasSpareGaussian = true;
        return u * factor;
    }

    /** 1 - nextDouble() lies in (0, 1], so the logarithm is finite. */
    double exponential(double mean) {
        return -mean * Math.log(1.0 - random.nextDouble());
    }

    /** Power law above scale: P(X > x) = (scale / x)^index. */
    double pareto(double scale, double index) {
        return scale * Math.pow(1.0 - random.nextDouble(), -1.0 / index);
    }

    /**
     * Inversion of the cumulative distribution, one uniform per draw; fine for the small means simulated here
     * (the cost grows with the mean). The loop also ends if the terms underflow before the sum reaches u.
     */
    int poisson(double mean) {
        if (!(mean > 0.0)) {
            return 0;
        }
        double u = random.nextDouble();
        double term = Math.exp(-mean);
        double cumulative = term;
        int k = 0;
        while (u >= cumulative && term > 0.0) {
            k++;
            term *= mean / k;
            cumulative += term;
        }
        return k;
    }

    /** Rayleigh magnitude of an isotropic 2D Gaussian vector with per-component standard deviation sigma. */
    double rayleigh(double sigma) {
        return sigma * Math.sqrt(-2.0 * Math.log(1.0 - random.nextDouble()));
    }
}
