package org.oddity.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.eventfile.EventSource;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerRegistry;
import org.oddity.score.ScorerTrainer;
import org.oddity.score.preprocess.Preprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code oddity train}: fits a model on reference events and calibrates it per cell on held-out events. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model (--scorer hbos, iforest, mahalanobis, gmm, kde, autoencoder or vae-latent) on"
                + " reference background and calibrate it per run-condition cell.",
            "With --input, events come from a file and a seeded random fraction is held out for calibration:"
                + " an Avro container file of CollisionEvents (model on their trigger objects), or a CSV or HDF5"
                + " table whose columns the column flags map (model on the feature columns). Without it, from the"
                + " built-in simulator (one standard LHC fill)."})
final class TrainCommand extends OddityCommand {

    /** Name of a model on trigger objects, before the family: l1-hbos, l1-iforest. */
    static final String L1_MODEL_PREFIX = "l1-";

    @Mixin
    ReferenceBackgroundOptions background;

    @Mixin
    NewBundleOption output;

    @Option(names = "--input", paramLabel = "FILE", description = "Reference events: .avro, .csv, .h5 or .hdf5.")
    Path input;

    @Option(names = "--calibration-fraction", defaultValue = "0.5",
            description = "With --input: fraction held out for calibration (default ${DEFAULT-VALUE}).")
    double calibrationFraction;

    @Option(names = "--training-events", defaultValue = "200000",
            description = "Without --input: simulated training events (default ${DEFAULT-VALUE}).")
    long trainingEvents;

    @Option(names = "--scorer", defaultValue = "hbos", paramLabel = "FAMILY",
            description = "Model family: hbos, iforest, mahalanobis, gmm, kde, autoencoder or vae-latent (default"
                    + " ${DEFAULT-VALUE}).")
    String scorer;

    @Option(names = "--param", paramLabel = "KEY=VALUE",
            description = "Training parameter of the family; repeatable. hbos: bins (50), upper-quantile (0.999);"
                    + " iforest: trees (100), subsample (256); gmm: components (4), iterations (50), covariance"
                    + " (full|diag); kde: points (2000), bandwidths (20); mahalanobis: none; autoencoder: layers"
                    + " (hidden widths, 32,8,32), epochs (10), batch (64), learning-rate (0.002); vae-latent: layers"
                    + " (encoder hidden widths, 32), latent (8), beta (0.1), epochs (10), batch (64), learning-rate"
                    + " (0.002).")
    Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--preprocess", paramLabel = "STEPS",
            description = "Feature preprocessing fitted on the training data and declared in the manifest: none, or a"
                    + " comma list of log-pt (log(1+pt) of every *_pt feature), standardize (zero mean, unit"
                    + " variance), clip=C (to [-C, C]), applied in that order. Default: the family's own (none;"
                    + " log-pt,standardize for autoencoder and vae-latent).")
    String preprocess;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Model name (default: l1-FAMILY on trigger objects; for a table, its file name and -FAMILY).")
    String name;

    private ScorerFamily family() {
        return ScorerRegistry.family(scorer).orElseThrow(() -> new InvalidSettingException("--scorer", scorer,
                "expected one of " + ScorerRegistry.families()));
    }

    /** The family's trainer, or a one-line error naming the bad option. */
    private ScorerTrainer scorerTrainer() {
        try {
            return family().trainer(parameters, background.seed());
        } catch (IllegalArgumentException e) {
            // Absent parameters take their defaults, so with none given it is the family that refuses (onnx).
            if (parameters.isEmpty()) {
                throw new InvalidSettingException("--scorer", scorer, e.getMessage());
            }
            throw new InvalidSettingException("--param", parameters.toString(), e.getMessage());
        }
    }

    /** The preprocessing steps to fit, checked now rather than after reading the training data. */
    private String preprocessing() {
        String spec = preprocess != null ? preprocess : family().defaultPreprocessing();
        try {
            return Preprocessing.checkedSpec(spec);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("--preprocess", spec, e.getMessage());
        }
    }

    @Override
    int run(OdditySettings settings) throws Exception {
        CommandLineChecks.inRange("--calibration-fraction", calibrationFraction, 0.0, 1.0);
        ScorerTrainer trainer = scorerTrainer();
        String preprocessing = preprocessing();
        if (input == null) {
            background.requireFileForColumnFlags("--input");
            CommandLineChecks.inRange("--training-events", trainingEvents, 1, 1_000_000_000);
            background.checkSimulation();
            BundleTraining.simulated(settings, name != null ? name : L1_MODEL_PREFIX + scorer, output.directory,
                    trainer, preprocessing, trainingEvents, background.calibrationEvents, background.fillSeconds,
                    background.seed(), System.out);
            return 0;
        }
        try {
            // Two passes over the file: one for the training events, one for the held-out calibration events.
            return background.read(input, trainingPass -> background.read(input, calibrationPass -> {
                BundleTraining.fromFile(settings, modelName(trainingPass), output.directory, trainer, preprocessing,
                        trainingPass, calibrationPass, background.seed(), calibrationFraction,
                        background::isReference, System.out);
                EventFileOptions.reportBadRows(trainingPass, input, System.out);
                return 0;
            }));
        } catch (IllegalArgumentException e) {
            // A file with no usable event leaves the trainer nothing to fit.
            System.err.println("oddity: cannot train on " + input + ": " + e.getMessage());
            return 1;
        }
    }

    private String modelName(EventSource events) {
        if (name != null) {
            return name;
        }
        if (events.featureLayout().isEmpty()) {
            return L1_MODEL_PREFIX + scorer;
        }
        return BundleTraining.nameOf(input) + "-" + scorer;
    }
}
