package org.oddity.cli;

import java.util.concurrent.Callable;
import org.oddity.config.OdditySettings;
import picocli.CommandLine.Mixin;

/**
 * A subcommand of {@code oddity}: it runs with the settings of the defaults, --config, the
 * ODDITY_* variables and the settings options, validated before it starts.
 */
abstract class OddityCommand implements Callable<Integer> {

    @Mixin
    SettingsOptions settingsOptions;

    @Override
    public final Integer call() throws Exception {
        return run(settingsOptions.settings());
    }

    /** Runs the command with {@code settings}; returns its exit code. */
    abstract int run(OdditySettings settings) throws Exception;
}
