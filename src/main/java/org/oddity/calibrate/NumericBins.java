package org.oddity.calibrate;

import java.util.Arrays;
import org.oddity.avro.RunConditions;

/**
 * Bins a numeric run condition at increasing edges: {@code k} edges make {@code k + 1} bins,
 * the first open below and the last open above.
 */
public final class NumericBins implements CellDimension {

    private final String field;
    private final double[] edges;

    /** Bins {@code field} (pileup or instLumi) at {@code edges}, which must increase strictly. */
    public NumericBins(String field, double[] edges) {
        if (!field.equals("pileup") && !field.equals("instLumi")) {
            throw new IllegalArgumentException("no numeric run condition named " + field + " (pileup, instLumi)");
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && edges[i] <= edges[i - 1])) {
                throw new IllegalArgumentException(field + " bin edges must be finite and strictly increasing: "
                        + Arrays.toString(edges));
            }
        }
        this.field = field;
        this.edges = edges.clone();
    }

    @Override
    public String field() {
        return field;
    }

    @Override
    public int bins() {
        return edges.length + 1;
    }

    @Override
    public String label(int bin) {
        if (edges.length == 0) {
            return "any " + field;
        }
        if (bin == 0) {
            return field + "<" + number(edges[0]);
        }
        if (bin == edges.length) {
            return field + ">=" + number(edges[edges.length - 1]);
        }
        return number(edges[bin - 1]) + "<=" + field + "<" + number(edges[bin]);
    }

    @Override
    public int binOf(RunConditions conditions) {
        Float value = field.equals("pileup") ? conditions.getPileup() : conditions.getInstLumi();
        if (value == null || !Float.isFinite(value)) {
            return -1;
        }
        int bin = 0;
        while (bin < edges.length && value >= edges[bin]) {
            bin++;
        }
        return bin;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
