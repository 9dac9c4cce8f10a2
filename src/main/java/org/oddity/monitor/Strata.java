package org.oddity.monitor;

import org.oddity.avro.RunConditions;

/**
 * Equal-width strata of one numeric run condition inside every calibration cell: the slices a
 * window is compared with the reference in.
 *
 * <p>Why: a window (one lumisection) sits at one pileup, while a calibration cell spans many
 * (10 units by default). The background's features and its flag rate change with pileup across
 * the cell, so a window is not exchangeable with the whole cell's reference: the window at a
 * cell's high edge has more jets and more flags than the cell's average. The conformal
 * guarantee holds on average over the cell, not window by window. Compared stratum by stratum,
 * with the reference taken at the window's own mix of pileup, a clean window matches its
 * reference. The reference's stratum is one unit of pileup by default: pileup changes by about
 * half a unit per lumisection in a fill, and within a unit the background hardly changes.
 *
 * @param field {@code pileup} or {@code instLumi}, or empty for no strata (one per cell)
 * @param width stratum width in the field's units, > 0
 */
public record Strata(String field, double width) {

    /** Stratum of an event whose field is missing, or of every event when there are no strata. */
    public static final int UNKNOWN = -1;

    /** One unit of pileup per stratum: what references are fitted with. */
    public static final Strata PILEUP_UNITS = new Strata("pileup", 1.0);

    /** No strata: every event of a cell in one. */
    public static final Strata NONE = new Strata("", 1.0);

    public Strata {
        if (!field.isEmpty() && !field.equals("pileup") && !field.equals("instLumi")) {
            throw new IllegalArgumentException("strata split pileup or instLumi, not " + field);
        }
        if (!(width > 0.0 && Double.isFinite(width))) {
            throw new IllegalArgumentException("stratum width must be finite and > 0: " + width);
        }
    }

    /** Whether events are split at all. */
    public boolean splits() {
        return !field.isEmpty();
    }

    /** The stratum of {@code conditions}: floor(value / width), {@link #UNKNOWN} without strata or a usable value. Allocation-free. */
    public int of(RunConditions conditions) {
        if (field.isEmpty() || conditions == null) {
            return UNKNOWN;
        }
        Float value = field.equals("pileup") ? conditions.getPileup() : conditions.getInstLumi();
        if (value == null || !(value >= 0f) || Float.isInfinite(value)) {
            return UNKNOWN;
        }
        // A narrowing cast saturates at Integer.MAX_VALUE (JLS 5.1.3).
        return (int) Math.floor(value / width);
    }

    /** The range of {@code stratum}, e.g. {@code 31<=pileup<32}. */
    public String label(int stratum) {
        if (stratum == UNKNOWN || field.isEmpty()) {
            return field.isEmpty() ? "all" : field + " unknown";
        }
        return number(stratum * width) + "<=" + field + "<" + number((stratum + 1) * width);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
