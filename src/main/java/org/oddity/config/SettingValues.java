package org.oddity.config;

import java.util.List;
import java.util.function.Function;

/**
 * Reads one raw setting as a checked, typed value; a value that does not fit throws
 * {@link InvalidSettingException} naming the key, the value and what is allowed.
 */
final class SettingValues {

    private SettingValues() {
    }

    /** The text of {@code key} if it matches {@code regex} entirely. */
    static String matching(SettingsSource source, String key, String regex, String expected) {
        String raw = source.get(key);
        if (!raw.matches(regex)) {
            throw new InvalidSettingException(key, raw, expected);
        }
        return raw;
    }

    /** An integer in [min, max]. */
    static int intIn(SettingsSource source, String key, int min, int max) {
        String raw = source.get(key);
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException(key, raw, "expected an integer in [" + min + ", " + max + "]");
    }

    /** A real number in (minExclusive, maxExclusive); a negative bound such as -MIN_VALUE lets 0 in. */
    static double realIn(SettingsSource source, String key, double minExclusive, double maxExclusive) {
        String raw = source.get(key);
        try {
            double v = Double.parseDouble(raw.trim());
            if (v > minExclusive && v < maxExclusive) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException(key, raw,
                "expected a number in " + (minExclusive < 0 ? "[0" : "(" + minExclusive) + ", " + maxExclusive + ")");
    }

    /** Any 64-bit integer. */
    static long anyLong(SettingsSource source, String key) {
        String raw = source.get(key);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, raw, "expected a 64-bit integer");
        }
    }

    /** {@code true} or {@code false}, spelled exactly so. */
    static boolean flag(SettingsSource source, String key) {
        return oneOf(source, key, List.of(true, false), String::valueOf);
    }

    /** The one of {@code choices} whose {@code name} is the value, spelled exactly so. */
    static <T> T oneOf(SettingsSource source, String key, List<T> choices, Function<? super T, String> name) {
        return choice(source, key, choices, name, false);
    }

    /** As {@link #oneOf}, in upper or lower case alike. */
    static <T> T oneOfIgnoringCase(SettingsSource source, String key, List<T> choices,
            Function<? super T, String> name) {
        return choice(source, key, choices, name, true);
    }

    private static <T> T choice(SettingsSource source, String key, List<T> choices, Function<? super T, String> name,
            boolean ignoreCase) {
        String raw = source.get(key);
        for (T choice : choices) {
            String n = name.apply(choice);
            if (ignoreCase ? n.equalsIgnoreCase(raw) : n.equals(raw)) {
                return choice;
            }
        }
        List<String> names = choices.stream().map(name).toList();
        throw new InvalidSettingException(key, raw, "expected "
                + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
    }
}
