package org.oddity.monitor;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Binomial(n, p) draws by inversion of the cumulative distribution, tabulated once from the pmf recursion. */
final class BinomialSampler {

    private final double[] cumulative;
    private final SplittableRandom random;

    BinomialSampler(int n, double p, SplittableRandom random) {
        this.random = random;
        this.cumulative = new double[n + 1];
        // pmf(0) = (1 - p)^n, pmf(x + 1) = pmf(x) (n - x) / (x + 1) p / (1 - p); (1 - p)^n stays normal for n p up
        // to about 700.
        double pmf = Math.exp(n * Math.log1p(-p));
        double sum = 0.0;
        for (int x = 0; x <= n; x++) {
            sum += pmf;
            cumulative[x] = sum;
            pmf *= (double) (n - x) / (x + 1) * p / (1 - p);
        }
    }

    /** The smallest x with F(x) > u for u uniform on [0, 1). */
    int next() {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, u);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
