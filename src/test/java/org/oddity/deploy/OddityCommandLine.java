package org.oddity.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.oddity.cli.Oddity;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The arguments a container passes to oddity, parsed by oddity's own command-line model: an unknown subcommand
 * or option, a bad value or a missing required option fails the test as it would fail the container at start.
 *
 * @param subcommand the subcommand's name, e.g. run
 * @param parsed     the subcommand's options
 */
record OddityCommandLine(String subcommand, ParseResult parsed) {

    /** Parses {@code args} (without the executable), which must name a subcommand. */
    static OddityCommandLine parse(List<String> args) {
        ParseResult top = assertDoesNotThrow(() -> new CommandLine(Oddity.class).parseArgs(args.toArray(String[]::new)),
                () -> "oddity would refuse the command line " + args);
        ParseResult sub = top.subcommand();
        assertNotNull(sub, () -> "no oddity subcommand in " + args);
        return new OddityCommandLine(sub.commandSpec().name(), sub);
    }

    /** Whether the option {@code name} was given. */
    boolean has(String name) {
        return parsed.hasMatchedOption(name);
    }

    /** The value of the option {@code name}, or null if it was not given. */
    <T> T option(String name) {
        return parsed.matchedOptionValue(name, null);
    }

    /** The settings file of --config, or null. */
    Path configFile() {
        return option("--config");
    }

    /** The settings the command line sets, as oddity's settings options map them (--set and the named flags). */
    Map<String, String> settingOverrides() {
        Map<String, String> overrides =
                new LinkedHashMap<>(parsed.matchedOptionValue("--set", Map.<String, String>of()));
        String servers = option("--bootstrap-servers");
        if (servers != null) {
            overrides.put("bootstrap.servers", servers);
        }
        Path bundle = option("--bundle");
        if (bundle != null) {
            overrides.put("model.bundle", bundle.toString());
        }
        Path workDir = option("--work-dir");
        if (workDir != null) {
            overrides.put("work.dir", workDir.toString());
        }
        return overrides;
    }
}
