package org.oddity.sim;

/** Exact two-sided binomial acceptance interval: a count outside it has probability at most alpha. */
record BinomialInterval(long low, long high) {

    /**
     * [low, high] with P(X < low) <= alpha / 2 and P(X > high) <= alpha / 2 for X ~ Binomial(n, p). The pmf is built
     * outward from the mode by the ratio pmf(k + 1) / pmf(k) = (n - k) / (k + 1) * p / (1 - p), then normalised.
     */
    static BinomialInterval of(long n, double p, double alpha) {
        if (p == 0.0) {
            return new BinomialInterval(0, 0);
        }
        if (p == 1.0) {
            return new BinomialInterval(n, n);
        }
        int size = Math.toIntExact(n + 1);
        double[] pmf = new double[size];
        int mode = (int) Math.min(n, Math.floor((n + 1) * p));
        pmf[mode] = 1.0;
        double odds = p / (1.0 - p);
        for (int k = mode; k < n && pmf[k] > 0.0; k++) {
            pmf[k + 1] = pmf[k] * (n - k) / (k + 1.0) * odds;
        }
        for (int k = mode; k > 0 && pmf[k] > 0.0; k--) {
            pmf[k - 1] = pmf[k] * k / ((n - k + 1.0) * odds);
        }
        double total = 0.0;
        for (double v : pmf) {
            total += v;
        }
        long low = 0;
        double tail = 0.0;
        while (low < n && tail + pmf[(int) low] / total <= alpha / 2) {
            tail += pmf[(int) low] / total;
            low++;
        }
        long high = n;
        tail = 0.0;
        while (high > 0 && tail + pmf[(int) high] / total <= alpha / 2) {
            tail += pmf[(int) high] / total;
            high--;
        }
        return new BinomialInterval(low, high);
    }

    boolean contains(long count) {
        return count >= low && count <= high;
    }
}
