package org.oddity.calibrate;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.CRC32C;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantilesFloatsSketchIterator;
import org.apache.datasketches.req.ReqSketch;

/**
 * The calibration scores of one cell held in bounded memory by a relative-error quantile sketch,
 * and the approximate conformal p-values it defines: the same queries as {@link CalibrationSet}
 * in a few tens of kilobytes at any n.
 *
 * <p>Implementation note: the REQ sketch of Cormode, Karnin, Liberty, Thaler and Veselý,
 * "Relative Error Streaming Quantiles", PODS 2021 (arXiv:2004.01668), as DataSketches' {@code
 * ReqSketch} in high-rank-accuracy mode. It estimates the number of scores at or above any s with
 * an error proportional to that number, not to n, so the relative error of the conformal p-value
 * (1 + #{s_i >= s}) / (1 + n) stays bounded however small p is. It keeps O(k log^1.5(n / k))
 * scores and is mergeable, so sketches of several sources combine into one of their union.
 *
 * <p>The stated error: the estimate p' of the exact p-value p satisfies |p' - p| / p <= z eps
 * with the two-sided normal confidence of z (95.4% at z = 2, 99.7% at z = 3), where eps =
 * {@link #relativeStandardError(double)} is DataSketches' a priori relative standard error, from
 * Lemma 12 of the paper with constants fitted to measurements: sqrt(0.0512 / 3) / k = 0.1306 / k
 * for p < 0.64 (1.09% at k = 12, 0.41% at k = 32), and 0 where the sketch is exact: when n
 * <= 3k, and for the highest 3k scores, which high-rank accuracy keeps at weight one. The
 * sketch compares scores only, so for exchangeable continuous scores the error's law does not
 * depend on their distribution. The error is two-sided: p' estimates p and does not bound it
 * from above, so an exchangeable event has P(p' <= alpha) <= alpha / (1 - z eps) up to the
 * probability that the error exceeds z eps. Measured (docs/benchmarks.md): a root-mean-square
 * error of 0.75 to 1.06 eps at alpha = 1e-2 (n = 10^5 and 10^6) and 1e-3 (n = 10^6) for k = 12
 * and 32, smaller nearer the exact tail, and 5.3% and 0.2% of 1,000 trials beyond 2 eps and 3 eps
 * at n = 10^5, k = 12, alpha = 1e-2.
 *
 * <p>Scores are kept as floats (DataSketches' REQ sketch holds floats). Rounding to the nearest
 * float is monotone, so a score at or above s stays at or above s once both are rounded: the
 * counts are taken over rounded scores, which ties scores one float apart and never counts
 * fewer scores at or above s. When the sketch is exact the p-values are those of
 * {@link CalibrationSet} over the rounded scores, and conformal on them. Scores beyond the
 * float range become infinite.
 *
 * <p>Ties: {@link #pValue} counts rounded scores equal to the event's against it, as the exact
 * set does, so it is conservative in ties and rounding though not in the sketch error. {@link #randomizedPValue} spreads the estimated count of such ties over a uniform
 * draw; it is exactly uniform where the sketch is exact and uniform up to the sketch error
 * elsewhere.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class SketchCalibration implements ConformalCalibration {

    /** Default accuracy parameter k: relative standard error 0.41% of p. */
    public static final int DEFAULT_K = 32;

    private static final String CORRUPT = "corrupt sketch calibration bytes: ";
    private static final int MAGIC = 0x4F44534B;
    private static final byte FORMAT_VERSION = 1;
    /** magic, version, k, n, length of the REQ image; the CRC-32C of everything follows it. */
    private static final int HEADER_BYTES = 4 + 1 + 4 + 8 + 4;
    private static final int CRC_BYTES = 4;
    /** DataSketches' REQ error constants: the relative and the fixed standard error factor, both over k. */
    private static final double RELATIVE_RSE_FACTOR = Math.sqrt(0.0512 / 3);
    private static final double FIXED_RSE_FACTOR = 0.084;
    /** The sketch holds every score up to 3k, and in high-rank accuracy the highest 3k scores at weight one. */
    private static final long EXACT_ITEMS_PER_K = 3;
    /** The smallest double that a cast to float rounds to infinity: Float.MAX_VALUE + ulp / 2. */
    private static final double FLOAT_OVERFLOW = (double) Float.MAX_VALUE + Math.ulp(Float.MAX_VALUE) / 2.0;

    private final int k;
    private final int n;
    /** Retained scores, sorted. */
    private final float[] items;
    /** Estimated number of scores at or below items[i]: the cumulative weights of the retained scores. */
    private final long[] cumulative;
    private final byte[] image;

    /**
     * Takes the query arrays from the retained items and their weights. DataSketches' own sorted
     * view adds the sketch's minimum and maximum, and 6.2.0 reads back the maximum of a sketch
     * whose scores are all at most 0 as Float.MIN_VALUE (apache/datasketches-java#734, fixed
     * after 6.2.0), which would add a phantom score above them.
     */
    private SketchCalibration(ReqSketch sketch) {
        this.k = sketch.getK();
        this.n = Math.toIntExact(sketch.getN());
        this.image = sketch.toByteArray();
        int retained = sketch.getNumRetained();
        float[] values = new float[retained];
        long[] weights = new long[retained];
        // Sort indices by value: the order-preserving int of each float's bits above its index.
        long[] keys = new long[retained];
        QuantilesFloatsSketchIterator it = sketch.iterator();
        for (int i = 0; it.next(); i++) {
            values[i] = it.getQuantile();
            weights[i] = it.getWeight();
            int bits = Float.floatToIntBits(values[i]);
            keys[i] = ((long) (bits ^ ((bits >> 31) & Integer.MAX_VALUE)) << 32) | i;
        }
        Arrays.sort(keys);
        this.items = new float[retained];
        this.cumulative = new long[retained];
        long total = 0;
        for (int j = 0; j < retained; j++) {
            int i = (int) keys[j];
            items[j] = values[i];
            total += weights[i];
            cumulative[j] = total;
        }
        if (total != n) {
            throw new IllegalArgumentException("the sketch's weights add up to " + total + ", not its n = " + n);
        }
    }

    /** A sketch of {@code scores} with accuracy parameter {@code k}; NaN scores are rejected. */
    public static SketchCalibration of(double[] scores, int k) {
        Builder builder = new Builder(k);
        for (double s : scores) {
            builder.add(s);
        }
        return builder.build();
    }

    /** Accuracy parameter k: even, in [4, 1024]; the error falls as 1 / k and the memory grows with k. */
    public int k() {
        return k;
    }

    /** Number of calibration scores n. */
    @Override
    public int size() {
        return n;
    }

    /** Smallest p-value this sketch can give, 1 / (n + 1); exact, as the highest scores are kept. */
    @Override
    public double minimumPValue() {
        return 1.0 / (n + 1.0);
    }

    /** Conservative approximate conformal p-value of {@code score}: ties count against the event. */
    @Override
    public double pValue(double score) {
        long atLeast = n - below(lowerBound((float) score));
        return (1.0 + atLeast) / (1.0 + n);
    }

    /**
     * Randomized approximate conformal p-value of {@code score}.
     *
     * @param uniform a draw from U[0, 1), supplied by the caller so that runs can repeat
     */
    @Override
    public double randomizedPValue(double score, double uniform) {
        float rounded = (float) score;
        int firstAtLeast = lowerBound(rounded);
        int firstAbove = upperBound(rounded, firstAtLeast);
        long above = n - below(firstAbove);
        long ties = below(firstAbove) - below(firstAtLeast);
        return (above + uniform * (ties + 1.0)) / (1.0 + n);
    }

    /**
     * Score threshold equivalent to the conservative p-value at {@code alpha}: for every score s,
     * {@code pValue(s) <= alpha} exactly when {@code s > threshold}. It is +infinity when alpha is
     * below the smallest reachable p-value.
     */
    @Override
    public double threshold(double alpha) {
        long most = CalibrationSet.mostAtOrAbove(alpha, n);
        if (most < 0) {
            return Double.POSITIVE_INFINITY;
        }
        // The count at or above s is n - below(j) for j = lowerBound((float) s), non-increasing in j:
        // find the first j whose count is small enough; every rounded score above items[j - 1] reaches it.
        int lo = 0;
        int hi = items.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (n - below(mid) <= most) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if (lo == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return largestDoubleRoundingToAtMost(items[lo - 1]);
    }

    /**
     * The a priori relative standard error of a p-value near {@code p} in (0, 1]: 0 where the sketch
     * is exact, else min(sqrt(0.0512 / 3) / k, 0.084 / (k p)).
     *
     * <p>These are the bounds of DataSketches' {@code getRankUpperBound} at one standard deviation
     * for the normalized rank 1 - p, divided by p. Its static {@code getRSE} in 6.2.0 returns the
     * upper bound rank itself rather than its distance from the rank, so it is not called here.
     */
    public double relativeStandardError(double p) {
        if (n <= EXACT_ITEMS_PER_K * k || p * n <= EXACT_ITEMS_PER_K * k) {
            return 0.0;
        }
        return Math.min(RELATIVE_RSE_FACTOR / k, FIXED_RSE_FACTOR / (k * p));
    }

    /** Bytes the query structures and the serialized sketch take, as a measure of memory. */
    public long memoryBytes() {
        return (long) items.length * (Float.BYTES + Long.BYTES) + image.length;
    }

    /** Merges sketches of the same k into one of their union, e.g. the calibration of several sources. */
    public static SketchCalibration union(Iterable<SketchCalibration> sketches) {
        Iterator<SketchCalibration> parts = sketches.iterator();
        if (!parts.hasNext()) {
            throw new IllegalArgumentException("a union needs at least one sketch");
        }
        SketchCalibration first = parts.next();
        ReqSketch merged = first.sketch();
        while (parts.hasNext()) {
            SketchCalibration next = parts.next();
            if (next.k != first.k) {
                throw new IllegalArgumentException("cannot merge sketches of k = " + first.k + " and k = " + next.k
                        + ": their error bounds differ");
            }
            if (merged.getN() + next.n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a union of more than " + Integer.MAX_VALUE + " scores");
            }
            merged.merge(next.sketch());
        }
        return new SketchCalibration(merged);
    }

    /**
     * The sketch as bytes, for a snapshot: a header (magic, format version, k, n), DataSketches'
     * REQ image, and a CRC-32C of both, so that {@link #fromBytes} can refuse damaged bytes.
     */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + image.length + CRC_BYTES);
        out.putInt(MAGIC).put(FORMAT_VERSION).putInt(k).putLong(n).putInt(image.length).put(image);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * The sketch written by {@link #toBytes}.
     *
     * @throws IllegalArgumentException naming what is wrong, if the bytes are truncated, of another
     *                                  format or version, fail their checksum, or do not hold the
     *                                  sketch their header describes
     */
    public static SketchCalibration fromBytes(byte[] bytes) {
        if (bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw corrupt("truncated at " + bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt() != MAGIC) {
            throw corrupt("they do not start with the sketch calibration magic number");
        }
        byte version = in.get();
        if (version != FORMAT_VERSION) {
            throw corrupt("format version " + version + "; this oddity reads " + FORMAT_VERSION);
        }
        int k = in.getInt();
        long n = in.getLong();
        int length = in.getInt();
        if (length != bytes.length - HEADER_BYTES - CRC_BYTES) {
            throw corrupt(bytes.length + " bytes in all, but the header announces a sketch of " + length);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, HEADER_BYTES + length);
        if (in.getInt(HEADER_BYTES + length) != (int) crc.getValue()) {
            throw corrupt("CRC-32C mismatch");
        }
        ReqSketch sketch;
        SketchCalibration read;
        try {
            sketch = heapified(bytes, HEADER_BYTES, length);
            read = new SketchCalibration(sketch);
        } catch (RuntimeException | AssertionError e) {
            // DataSketches reports a malformed image with whatever its reader meets first, and checks
            // some of its layout with assert statements, which throw when assertions are enabled.
            throw corrupt("the REQ image does not read: " + e);
        }
        if (read.k != k || read.n != n || !sketch.getHighRankAccuracyMode()) {
            throw corrupt("the header says k = " + k + ", n = " + n + " (high-rank accuracy), the sketch has k = "
                    + read.k + ", n = " + read.n + " (high-rank accuracy " + sketch.getHighRankAccuracyMode() + ")");
        }
        return read;
    }

    private static IllegalArgumentException corrupt(String reason) {
        return new IllegalArgumentException(CORRUPT + reason);
    }

    /** A fresh, mutable copy of the sketch. */
    private ReqSketch sketch() {
        return heapified(image, 0, image.length);
    }

    /** The sketch of a REQ image, which DataSketches writes little-endian. */
    private static ReqSketch heapified(byte[] bytes, int offset, int length) {
        return ReqSketch.heapify(Memory.wrap(bytes, offset, length, ByteOrder.LITTLE_ENDIAN));
    }

    /** Estimated number of scores below items[j], i.e. at or below items[j - 1]. */
    private long below(int j) {
        return j == 0 ? 0 : cumulative[j - 1];
    }

    /** First index whose item is >= {@code score}; NaN, as in the exact set, counts every score against it. */
    private int lowerBound(float score) {
        if (Float.isNaN(score)) {
            return 0;
        }
        int lo = 0;
        int hi = items.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (items[mid] < score) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index at or after {@code from} whose item is > {@code score}; NaN lies below every score. */
    private int upperBound(float score, int from) {
        if (Float.isNaN(score)) {
            return from;
        }
        int lo = from;
        int hi = items.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (items[mid] <= score) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The largest double d with (float) d <= t, so that s > d exactly when (float) s > t. Between t
     * and the next float up, doubles round to the nearer one, and the midpoint to the one whose
     * significand is even.
     */
    private static double largestDoubleRoundingToAtMost(float t) {
        if (t == Float.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        if (t == Float.NEGATIVE_INFINITY) {
            return -FLOAT_OVERFLOW;
        }
        double midpoint = t == Float.MAX_VALUE ? FLOAT_OVERFLOW : ((double) t + Math.nextUp(t)) / 2.0;
        return (float) midpoint <= t ? midpoint : Math.nextDown(midpoint);
    }

    /** Adds scores one at a time into a sketch of fixed size, e.g. from a stream of calibration events. */
    public static final class Builder {

        private final ReqSketch sketch;

        /** An empty sketch of accuracy parameter {@code k}, even and in [4, 1024]. */
        public Builder(int k) {
            if (k < 4 || k > 1024 || k % 2 != 0) {
                throw new IllegalArgumentException("sketch k must be even and in [4, 1024]: " + k);
            }
            this.sketch = ReqSketch.builder().setK(k).setHighRankAccuracy(true).build();
        }

        /** Adds one score; NaN is rejected, as in {@link CalibrationSet#of}. */
        public Builder add(double score) {
            if (Double.isNaN(score)) {
                throw new IllegalArgumentException("calibration scores must not be NaN");
            }
            if (sketch.getN() == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a sketch calibration holds at most " + Integer.MAX_VALUE
                        + " scores");
            }
            sketch.update((float) score);
            return this;
        }

        /** The scores added so far; the builder can go on adding, as the result keeps no reference to its sketch. */
        public SketchCalibration build() {
            return new SketchCalibration(sketch);
        }
    }
}
