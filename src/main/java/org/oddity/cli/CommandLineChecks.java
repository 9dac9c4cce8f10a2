package org.oddity.cli;

import org.oddity.config.InvalidSettingException;

/** Range checks of command-line values, failing like a bad setting: one line, exit code 2. */
final class CommandLineChecks {

    private CommandLineChecks() {
    }

    static void inRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(option, String.valueOf(value), "expected an integer in [" + min + ", "
                    + max + "]");
        }
    }

    static void inRange(String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new InvalidSettingException(option, String.valueOf(value), "expected a value in [" + min + ", "
                    + max + "]");
        }
    }
}
