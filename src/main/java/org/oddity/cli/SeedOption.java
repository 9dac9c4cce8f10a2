package org.oddity.cli;

import picocli.CommandLine.Option;

/** {@code --seed}, the random seed of what a command simulates or samples: simulate, demo and reference background. */
final class SeedOption {

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;
}
