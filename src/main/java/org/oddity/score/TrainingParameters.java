package org.oddity.score;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A family's named training parameters, parsed with defaults and range checks that name the bad key. */
public final class TrainingParameters {

    private final String family;
    private final Map<String, String> values;

    /**
     * @param family the family, for messages
     * @param values the parameters given
     * @param known  the names the family accepts
     * @throws IllegalArgumentException for a name not in {@code known}
     */
    public TrainingParameters(String family, Map<String, String> values, Set<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown parameter " + key + " for scorer " + family + " (known: "
                        + new TreeSet<>(known) + ")");
            }
        }
        this.family = family;
        this.values = Map.copyOf(values);
    }

    /** Integer parameter {@code key} in [min, max], or {@code defaultValue} if absent. */
    public int integer(String key, int defaultValue, int min, int max) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(family + " parameter " + key + "=" + raw + ": expected an integer in ["
                + min + ", " + max + "]");
    }

    /**
     * Comma-separated integers {@code key}, one to {@code maxCount} of them, each in [min, max],
     * or a copy of {@code defaultValue} if absent.
     */
    public int[] integers(String key, int[] defaultValue, int maxCount, int min, int max) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue.clone();
        }
        String[] tokens = raw.split(",", -1);
        if (tokens.length <= maxCount) {
            try {
                int[] out = new int[tokens.length];
                boolean inRange = true;
                for (int i = 0; i < out.length; i++) {
                    out[i] = Integer.parseInt(tokens[i].trim());
                    inRange &= out[i] >= min && out[i] <= max;
                }
                if (inRange) {
                    return out;
                }
            } catch (NumberFormatException e) {
                // reported below with the allowed range
            }
        }
        throw new IllegalArgumentException(family + " parameter " + key + "=" + raw + ": expected 1 to " + maxCount
                + " comma-separated integers in [" + min + ", " + max + "]");
    }

    /** Real parameter {@code key} in (minExclusive, max], or {@code defaultValue} if absent. */
    public double real(String key, double defaultValue, double minExclusive, double max) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            double v = Double.parseDouble(raw.trim());
            if (v > minExclusive && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(family + " parameter " + key + "=" + raw + ": expected a number in ("
                + minExclusive + ", " + max + "]");
    }
}
