package org.oddity.config;

import java.time.Duration;

/** Parses short durations such as {@code 500ms}, {@code 60s}, {@code 5m} or {@code 2h}. */
public final class Durations {

    private Durations() {
    }

    /** The positive duration {@code text}; an {@link InvalidSettingException} naming {@code option} otherwise. */
    public static Duration parse(String option, String text) {
        String t = text.trim();
        try {
            Duration d;
            if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            } else if (t.endsWith("h")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3_600_000));
            } else {
                throw new NumberFormatException(t);
            }
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException(t);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(option, text, "expected a positive duration such as 500ms, 60s, 5m or 2h");
        }
    }

    /** As {@link #parse}, but {@code 0} gives {@link Duration#ZERO}, for settings where zero turns a limit off. */
    public static Duration parseOrZero(String option, String text) {
        if (text.trim().equals("0")) {
            return Duration.ZERO;
        }
        try {
            return parse(option, text);
        } catch (InvalidSettingException e) {
            throw new InvalidSettingException(option, text, "expected 0 or a positive duration such as 500ms, 60s, 5m"
                    + " or 2h");
        }
    }
}
