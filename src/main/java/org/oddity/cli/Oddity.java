package org.oddity.cli;

import org.oddity.bundle.InvalidBundleException;
import org.oddity.config.InvalidSettingException;
import org.oddity.kafka.KafkaUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code oddity} executable: a real-time, per-condition calibrated anomaly scorer for DAQ streams. */
@Command(name = "oddity", mixinStandardHelpOptions = true, version = "oddity 0.1.0",
        description = "Real-time, trigger-level anomaly scorer for particle-physics DAQ streams, on Kafka Streams.",
        subcommands = {DemoCommand.class, RunCommand.class, TrainCommand.class, CalibrateCommand.class,
            ImportOnnxCommand.class, EvaluateCommand.class, PublishModelCommand.class, SimulateCommand.class,
            ReplayCommand.class, TailCommand.class, BrokerCommand.class, BenchCommand.class})
public final class Oddity {

    /** Exit code of an invalid setting or option value. */
    static final int EXIT_BAD_SETTING = 2;
    /** Exit code of a model bundle that was refused. */
    static final int EXIT_BAD_BUNDLE = 3;
    /** Exit code when the Kafka cluster cannot be used. */
    static final int EXIT_KAFKA = 4;

    private Oddity() {
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        // oddity draws figures into files and never opens a window, so it runs without a display.
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code. */
    static int execute(String... args) {
        CommandLine cli = new CommandLine(Oddity.class);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InvalidSettingException) {
                commandLine.getErr().println("oddity: " + e.getMessage());
                return EXIT_BAD_SETTING;
            }
            if (e instanceof InvalidBundleException) {
                commandLine.getErr().println("oddity: refused " + e.getMessage());
                return EXIT_BAD_BUNDLE;
            }
            if (e instanceof KafkaUnavailableException) {
                commandLine.getErr().println("oddity: cannot use " + e.getMessage());
                return EXIT_KAFKA;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
