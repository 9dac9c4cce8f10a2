package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How the p-values of one window's tests are corrected for their number: a test is significant
 * when its corrected p-value is at most the false discovery rate q. NaN marks a test that did
 * not run; it is left out of the count m and stays NaN.
 */
public enum Correction {

    /**
     * Benjamini and Hochberg's step-up procedure ("Controlling the false discovery rate", JRSS B
     * 57, 1995): with p_(1) <= ... <= p_(m), reject the i smallest for the largest i with
     * p_(i) <= i q / m. Its adjusted p-value, min over j >= i of min(1, m p_(j) / j), is at most q
     * exactly for the rejected tests. FDR <= q (m0 / m) for independent or positively dependent
     * tests (Benjamini and Yekutieli, Ann. Stat. 29, 2001).
     */
    BENJAMINI_HOCHBERG("BH-corrected") {
        @Override
        public double[] adjust(double[] p) {
            double[] out = new double[p.length];
            Arrays.fill(out, Double.NaN);
            int[] order = finiteByIncreasingP(p);
            int m = order.length;
            double running = 1.0;
            for (int rank = m; rank >= 1; rank--) {
                int i = order[rank - 1];
                running = Math.min(running, Math.min(1.0, p[i] * m / rank));
                out[i] = running;
            }
            return out;
        }
    },

    /** Bonferroni: min(1, m p), so that the family-wise error rate is at most q whatever the dependence. */
    BONFERRONI("Bonferroni-corrected") {
        @Override
        public double[] adjust(double[] p) {
            int m = 0;
            for (double v : p) {
                if (!Double.isNaN(v)) {
                    m++;
                }
            }
            double[] out = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                out[i] = Double.isNaN(p[i]) ? Double.NaN : Math.min(1.0, p[i] * m);
            }
            return out;
        }
    };

    private final String label;

    Correction(String label) {
        this.label = label;
    }

    /** The corrected p-values, in the order of {@code p}. */
    public abstract double[] adjust(double[] p);

    /**
     * Corrects the p-values of {@code parts} as one family, e.g. the tests of every cell of a
     * window; returns each part's corrected p-values, in the order given.
     */
    public List<double[]> adjustTogether(List<double[]> parts) {
        double[] family = new double[parts.stream().mapToInt(part -> part.length).sum()];
        int offset = 0;
        for (double[] part : parts) {
            System.arraycopy(part, 0, family, offset, part.length);
            offset += part.length;
        }
        double[] corrected = adjust(family);
        List<double[]> out = new ArrayList<>(parts.size());
        offset = 0;
        for (double[] part : parts) {
            out.add(Arrays.copyOfRange(corrected, offset, offset + part.length));
            offset += part.length;
        }
        return out;
    }

    /** How messages name a p-value it corrected, e.g. {@code BH-corrected}. */
    public String label() {
        return label;
    }

    /** Indices of the non-NaN entries of {@code p}, by increasing p and then by index. */
    private static int[] finiteByIncreasingP(double[] p) {
        return IntStream.range(0, p.length)
                .filter(i -> !Double.isNaN(p[i]))
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> p[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue)
                .toArray();
    }
}
