package org.oddity.cli;

import java.time.Duration;
import org.oddity.config.InvalidSettingException;

/** Parses short durations such as {@code 500ms}, {@code 60s}, {@code 5m} or {@code 2h}. */
final class Durations {

    private Durations() {
    }

    static Duration parse(String option, String text) {
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
}
