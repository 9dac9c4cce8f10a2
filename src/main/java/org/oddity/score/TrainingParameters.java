package org.oddity.score;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

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
        return parsed(key, defaultValue, Integer::parseInt, v -> v >= min && v <= max,
                "an integer in [" + min + ", " + max + "]");
    }

    /**
     * Comma-separated integers {@code key}, one to {@code maxCount} of them, each in [min, max],
     * or a copy of {@code defaultValue} if absent.
     */
    public int[] integers(String key, int[] defaultValue, int maxCount, int min, int max) {
        return parsed(key, defaultValue.clone(), TrainingParameters::commaSeparatedIntegers,
                v -> v.length <= maxCount && Arrays.stream(v).allMatch(i -> i >= min && i <= max),
                "1 to " + maxCount + " comma-separated integers in [" + min + ", " + max + "]");
    }

    /** Real parameter {@code key} in (minExclusive, max], or {@code defaultValue} if absent. */
    public double real(String key, double defaultValue, double minExclusive, double max) {
        return parsed(key, defaultValue, Double::parseDouble, v -> v > minExclusive && v <= max,
                "a number in (" + minExclusive + ", " + max + "]");
    }

    /**
     * Parameter {@code key} parsed from its trimmed text, or {@code defaultValue} if absent; a value
     * that does not parse or is not {@code allowed} is refused naming the key and what was {@code expected}.
     */
    private <T> T parsed(String key, T defaultValue, Function<String, T> parse, Predicate<T> allowed,
            String expected) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            T v = parse.apply(raw.trim());
            if (allowed.test(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(family + " parameter " + key + "=" + raw + ": expected " + expected);
    }

    private static int[] commaSeparatedIntegers(String text) {
        String[] tokens = text.split(",", -1);
        int[] out = new int[tokens.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Integer.parseInt(tokens[i].trim());
        }
        return out;
    }
}
