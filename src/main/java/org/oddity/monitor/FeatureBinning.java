package org.oddity.monitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.oddity.score.FeatureMatrix;

/**
 * Histogram bins of every feature for the drift tests: one bin for exact zeros, then bins of
 * the nonzero values between increasing edges, with an underflow and an overflow bin. The bins
 * of all features are slots of one flat array, so counting an event allocates nothing.
 *
 * <p>A feature with E edges e_0 < ... < e_(E-1) has E + 2 slots: slot 0 holds exact zeros
 * (zero-padded L1 objects put a point mass there, which no continuous bin would resolve), and
 * slot 1 + j holds the nonzero values with exactly j edges at or below them. So slot 1 is the
 * underflow (below e_0), slot 1 + E the overflow (at or above the last edge), and NaN goes to
 * the overflow too. The slot is found by a binary search over the feature's edges.
 */
public final class FeatureBinning {

    private static final FeatureBinning NONE = new FeatureBinning(List.of(), List.of());

    private final List<String> names;
    /** Edges of every feature, concatenated. */
    private final float[] edges;
    /** Start of each feature's edges in {@link #edges}, plus the total at the end. */
    private final int[] edgeStart;
    /** Start of each feature's slots in the flat histogram, plus the total at the end. */
    private final int[] slotStart;

    /**
     * @param names the features, in extractor order
     * @param edges per feature, finite and strictly increasing (may be empty)
     */
    public FeatureBinning(List<String> names, List<float[]> edges) {
        if (names.size() != edges.size()) {
            throw new IllegalArgumentException(names.size() + " feature names but " + edges.size() + " edge lists");
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("feature names must be distinct: " + names);
        }
        this.names = List.copyOf(names);
        this.edgeStart = new int[names.size() + 1];
        this.slotStart = new int[names.size() + 1];
        for (int f = 0; f < names.size(); f++) {
            float[] e = edges.get(f);
            for (int i = 0; i < e.length; i++) {
                if (!Float.isFinite(e[i]) || (i > 0 && !(e[i] > e[i - 1]))) {
                    throw new IllegalArgumentException("bin edges of " + names.get(f)
                            + " must be finite and strictly increasing: " + Arrays.toString(e));
                }
            }
            edgeStart[f + 1] = edgeStart[f] + e.length;
            slotStart[f + 1] = slotStart[f] + e.length + 2;
        }
        this.edges = new float[edgeStart[names.size()]];
        for (int f = 0; f < names.size(); f++) {
            System.arraycopy(edges.get(f), 0, this.edges, edgeStart[f], edges.get(f).length);
        }
    }

    /** A binning of no features, for models that carry no reference histograms. */
    public static FeatureBinning none() {
        return NONE;
    }

    /**
     * Quantile bins of each feature's nonzero values in {@code sample}: edges at the quantiles
     * 0, 1/bins, ..., (bins - 1)/bins and just above the maximum, equal ones merged, so each
     * interior bin holds about 1/bins of the sample's nonzero values.
     */
    public static FeatureBinning fit(List<String> names, FeatureMatrix sample, int bins) {
        if (names.size() != sample.columns()) {
            throw new IllegalArgumentException(names.size() + " feature names for " + sample.columns() + " columns");
        }
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be positive: " + bins);
        }
        List<float[]> edges = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            edges.add(quantileEdges(sample.column(f), bins));
        }
        return new FeatureBinning(names, edges);
    }

    private static float[] quantileEdges(float[] column, int bins) {
        float[] values = new float[column.length];
        int n = 0;
        for (float x : column) {
            if (x != 0f && Float.isFinite(x)) {
                values[n++] = x;
            }
        }
        if (n == 0) {
            return new float[0];
        }
        Arrays.sort(values, 0, n);
        float[] out = new float[bins + 1];
        int count = 0;
        for (int i = 0; i <= bins; i++) {
            float edge = i < bins ? values[(int) ((long) i * (n - 1) / bins)] : Math.nextUp(values[n - 1]);
            if (Float.isFinite(edge) && (count == 0 || edge > out[count - 1])) {
                out[count++] = edge;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /** The features, in extractor order. */
    public List<String> featureNames() {
        return names;
    }

    /** Number of features. */
    public int features() {
        return names.size();
    }

    /** Number of slots of {@code feature}: its edges plus two. */
    public int slots(int feature) {
        return slotStart[feature + 1] - slotStart[feature];
    }

    /** Index of {@code feature}'s first slot in the flat histogram of all features. */
    public int slotStart(int feature) {
        return slotStart[feature];
    }

    /** Length of the flat histogram of all features. */
    public int totalSlots() {
        return slotStart[names.size()];
    }

    /** A copy of {@code feature}'s edges. */
    public float[] edges(int feature) {
        return Arrays.copyOfRange(edges, edgeStart[feature], edgeStart[feature + 1]);
    }

    /** Slot of value {@code x} of {@code feature}, relative to the feature's first slot. */
    public int slotOf(int feature, float x) {
        if (x == 0f) {
            return 0;
        }
        int from = edgeStart[feature];
        int lo = from;
        int hi = edgeStart[feature + 1];
        if (x != x) {
            return 1 + hi - from;
        }
        if (lo == hi) {
            return 1;
        }
        // The number of edges at or below x. The search halves a range whose last edge at or below x
        // is at base, with one data-dependent add per step that the JIT can make a conditional move:
        // a feature's value is unpredictable, so a branch per step would be mispredicted about half
        // the time (P.-V. Khuong and P. Morin, "Array layouts for comparison-based searching", ACM
        // JEA 22, 2017).
        int base = lo;
        int n = hi - lo;
        while (n > 1) {
            int half = n >>> 1;
            base = edges[base + half] <= x ? base + half : base;
            n -= half;
        }
        return 1 + base - from + (edges[base] <= x ? 1 : 0);
    }

    /** Readable range of slots {@code first..last} of {@code feature}, e.g. {@code [1.5, 3.25)} or {@code 0 or [-inf, 2)}. */
    public String rangeLabel(int feature, int first, int last) {
        if (last == 0) {
            return "0";
        }
        int base = edgeStart[feature];
        int e = edgeStart[feature + 1] - base;
        int low = Math.max(first, 1);
        String lower = low == 1 ? "-inf" : number(edges[base + low - 2]);
        String upper = last == e + 1 ? "+inf" : number(edges[base + last - 1]);
        return (first == 0 ? "0 or " : "") + "[" + lower + ", " + upper + ")";
    }

    private static String number(float v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof FeatureBinning other && names.equals(other.names)
                && Arrays.equals(edgeStart, other.edgeStart) && Arrays.equals(edges, other.edges));
    }

    @Override
    public int hashCode() {
        return 31 * names.hashCode() + Arrays.hashCode(edges);
    }
}
