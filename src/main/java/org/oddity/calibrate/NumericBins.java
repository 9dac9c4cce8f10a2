package org.oddity.calibrate;

import java.util.Arrays;
import org.oddity.avro.RunConditions;

/**
 * Bins a numeric run condition (pileup, instantaneous luminosity, or a free-form
 * {@code extra.NAME} field holding a number) at increasing edges: {@code k} edges make
 * {@code k + 1} bins, the first open below and the last open above.
 */
public final class NumericBins implements CellDimension {

    private final String field;
    private final String extraKey;
    private final double[] edges;
    /**
     * The last extra-field text parsed and its value. Conditions change once a lumisection, so
     * this spares a parse per event; an immutable holder is safe to race on between threads.
     */
    private Parsed lastParsed = new Parsed("", Double.NaN);

    private record Parsed(String text, double value) {
    }

    /** Bins {@code field} (pileup, instLumi or extra.NAME) at {@code edges}, which must increase strictly. */
    public NumericBins(String field, double[] edges) {
        this.extraKey = ConditionFields.extraKey(field);
        if (extraKey == null && !field.equals(ConditionFields.PILEUP) && !field.equals(ConditionFields.INST_LUMI)) {
            throw new IllegalArgumentException("no numeric run condition named " + field + " ("
                    + ConditionFields.PILEUP + ", " + ConditionFields.INST_LUMI + ", " + ConditionFields.EXTRA_PREFIX
                    + "NAME)");
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
        double value = valueOf(conditions);
        if (!Double.isFinite(value)) {
            return -1;
        }
        int bin = 0;
        while (bin < edges.length && value >= edges[bin]) {
            bin++;
        }
        return bin;
    }

    /** The field's value, NaN when it is missing or, for an extra field, not a number. */
    private double valueOf(RunConditions conditions) {
        if (extraKey != null) {
            String text = conditions.getExtra().get(extraKey);
            if (text == null) {
                return Double.NaN;
            }
            Parsed last = lastParsed;
            if (!text.equals(last.text())) {
                last = new Parsed(text, parse(text));
                lastParsed = last;
            }
            return last.value();
        }
        Float value = field.equals(ConditionFields.PILEUP) ? conditions.getPileup() : conditions.getInstLumi();
        return value == null ? Double.NaN : value;
    }

    private static double parse(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
