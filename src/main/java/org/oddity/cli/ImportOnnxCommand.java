package org.oddity.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.FeatureVectorExtractor;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.onnx.OnnxScorer;
import org.oddity.score.onnx.OnnxSettings;
import org.oddity.score.onnx.OnnxSignature;
import org.oddity.score.onnx.OutputKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code oddity import-onnx}: makes a bundle of an ONNX model trained elsewhere, calibrated per
 * cell on simulated background or on the events of a file.
 */
@Command(name = "import-onnx", mixinStandardHelpOptions = true,
        description = {"Import an ONNX model trained outside oddity (e.g. in Python) as a bundle of scorer onnx,"
                + " calibrated per run-condition cell.",
            "The model takes a float tensor [N, features] and gives either the score ([N] or [N, 1]) or a"
                + " reconstruction of its input ([N, features]), scored by its mean squared error.",
            "Calibration events come from the built-in simulator (one standard LHC fill; the model must take the"
                + " 57 l1-objects-57 features), or with --calibration-input from a file: an Avro container file of"
                + " CollisionEvents (trigger objects) or a CSV or HDF5 table whose columns the column flags map"
                + " (feature columns, extractor features)."})
final class ImportOnnxCommand extends OddityCommand {

    @Mixin
    ReferenceBackgroundOptions background;

    @Mixin
    NewBundleOption output;

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The ONNX model file.")
    Path model;

    @Option(names = "--calibration-input", paramLabel = "FILE",
            description = "Calibration events: .avro, .csv, .h5 or .hdf5 (default: simulated background).")
    Path calibrationInput;

    @Option(names = "--input-name", paramLabel = "TENSOR",
            description = "The model's input tensor (default: its only input).")
    String inputName;

    @Option(names = "--output-name", paramLabel = "TENSOR",
            description = "The output tensor to score with (default: the model's only output).")
    String outputName;

    @Option(names = "--output-kind", paramLabel = "KIND",
            description = "score or reconstruction (default: reconstruction if the output has one value per feature,"
                    + " else score).")
    String outputKind;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Most events per ONNX Runtime run (default " + OnnxSettings.DEFAULT_BATCH_SIZE
                    + "; 1 for a model that takes one event per run).")
    Integer batchSize;

    @Option(names = "--intra-op-threads", defaultValue = "1", paramLabel = "N",
            description = "ONNX Runtime threads inside one operator, per session (default ${DEFAULT-VALUE}: each"
                    + " stream thread runs the model on itself).")
    int intraOpThreads;

    @Option(names = "--inter-op-threads", defaultValue = "1", paramLabel = "N",
            description = "ONNX Runtime threads running independent operators side by side (default ${DEFAULT-VALUE}).")
    int interOpThreads;

    @Option(names = "--extractor", paramLabel = "NAME",
            description = "The features the model was trained on: " + L1ObjectsExtractor.NAME + " (calibrate on"
                    + " simulated events or an Avro file) or " + FeatureVectorExtractor.NAME + " (the feature columns"
                    + " of a CSV or HDF5 --calibration-input). Default: what the calibration events give.")
    String extractorName;

    @Option(names = "--name", paramLabel = "NAME", description = "Model name (default: the model's file name).")
    String name;

    @Override
    int run(OdditySettings settings) throws Exception {
        OutputKind kind = outputKind();
        if (batchSize != null) {
            CommandLineChecks.inRange("--batch-size", batchSize, 1, OnnxSettings.MAX_BATCH_SIZE);
        }
        CommandLineChecks.inRange("--intra-op-threads", intraOpThreads, 1, OnnxSettings.MAX_THREADS);
        CommandLineChecks.inRange("--inter-op-threads", interOpThreads, 1, OnnxSettings.MAX_THREADS);
        if (extractorName != null && !List.of(L1ObjectsExtractor.NAME, FeatureVectorExtractor.NAME)
                .contains(extractorName)) {
            throw new InvalidSettingException("--extractor", extractorName, "expected " + L1ObjectsExtractor.NAME
                    + " or " + FeatureVectorExtractor.NAME);
        }
        if (calibrationInput == null) {
            background.requireFileForColumnFlags("--calibration-input");
            background.checkSimulation();
        }
        if (!Files.isRegularFile(model) || !Files.isReadable(model)) {
            System.err.println("oddity: " + model + (Files.exists(model) ? " is not a readable file" : " does not exist"));
            return 1;
        }
        byte[] bytes = Files.readAllBytes(model);
        OnnxSignature signature;
        try {
            signature = OnnxSignature.of(bytes);
        } catch (IOException e) {
            throw new InvalidBundleException("ONNX model " + model + ": " + e.getMessage(), e);
        }
        String input = tensor("--input-name", inputName, "input", signature.inputs());
        String scored = tensor("--output-name", outputName, "output", signature.outputs());
        int batch = batchSize(signature.inputs().get(input).shape());
        // The feature count, and so the default output kind, follow from the calibration events' extractor.
        IntFunction<OnnxSettings> onnxSettings = features -> new OnnxSettings(features, input, scored,
                kind != null ? kind : OutputKind.inferred(signature.outputs().get(scored).shape(), features), batch,
                intraOpThreads, interOpThreads);
        if (calibrationInput == null) {
            importModel(settings, bytes, onnxSettings, new L1ObjectsExtractor(), null,
                    background.simulatedCalibration(), new ProgressBar("calibrating", background.calibrationEvents));
            return 0;
        }
        return background.read(calibrationInput, events -> {
            // The model was fitted elsewhere, so every reference event is held out for calibration.
            importModel(settings, bytes, onnxSettings, BundleTraining.extractorOf(events),
                    BundleTraining.layoutOf(events), background.allHeldOut(events),
                    ProgressBar.of("calibrating", events));
            EventFileOptions.reportBadRows(events, calibrationInput, System.out);
            return 0;
        });
    }

    private OutputKind outputKind() {
        try {
            return outputKind == null ? null : OutputKind.of(outputKind);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("--output-kind", outputKind, "expected score or reconstruction");
        }
    }

    /** The tensor {@code flag} names, or the model's only one; a one-line error naming the flag otherwise. */
    private static String tensor(String flag, String given, String role, Map<String, OnnxSignature.Tensor> tensors) {
        if (given != null) {
            if (!tensors.containsKey(given)) {
                throw new InvalidSettingException(flag, given, "the model's " + role + "s are " + tensors.keySet());
            }
            return given;
        }
        if (tensors.size() != 1) {
            throw new InvalidSettingException(flag, "", "the model has " + role + "s " + tensors.keySet()
                    + "; name one");
        }
        return tensors.keySet().iterator().next();
    }

    private int batchSize(List<Long> inputShape) {
        boolean oneEventPerRun = inputShape.size() == 2 && inputShape.get(0) == 1;
        if (batchSize == null) {
            return oneEventPerRun ? 1 : OnnxSettings.DEFAULT_BATCH_SIZE;
        }
        if (oneEventPerRun && batchSize != 1) {
            throw new InvalidSettingException("--batch-size", String.valueOf(batchSize),
                    "the model's input has a fixed batch dimension of 1, so the batch size must be 1");
        }
        return batchSize;
    }

    /** Checks the model against {@code extractor}, calibrates it on {@code calibration} and writes the bundle. */
    private void importModel(OdditySettings settings, byte[] bytes, IntFunction<OnnxSettings> onnxSettings,
            FeatureExtractor extractor, String featureLayout, Iterator<CollisionEvent> calibration,
            ProgressBar progress) throws IOException, InvalidBundleException {
        if (extractorName != null && !extractorName.equals(extractor.name())) {
            throw new InvalidSettingException("--extractor", extractorName,
                    extractorName.equals(FeatureVectorExtractor.NAME)
                            ? "flat feature vectors come from the columns of a CSV or HDF5 --calibration-input"
                            : "a table's rows are flat feature vectors (extractor " + FeatureVectorExtractor.NAME
                                    + "); trigger objects come from simulated events or an Avro --calibration-input");
        }
        OnnxSettings onnx = onnxSettings.apply(extractor.featureNames().size());
        try (OnnxScorer scorer = load(bytes, onnx, extractor)) {
            System.out.printf("ONNX model %s: input '%s' [N, %d] (%s), output '%s' read as %s, batch size %d%n", model,
                    onnx.input(), onnx.features(), extractor.name(), onnx.output(), onnx.outputKind().label(),
                    onnx.batchSize());
            BundleTraining.imported(settings, name != null ? name : BundleTraining.nameOf(model), output.directory,
                    scorer, extractor, featureLayout, calibration, progress, System.out);
        }
    }

    private OnnxScorer load(byte[] bytes, OnnxSettings onnx, FeatureExtractor extractor)
            throws InvalidBundleException {
        try {
            return OnnxScorer.load(bytes, onnx);
        } catch (IOException e) {
            throw new InvalidBundleException("ONNX model " + model + " on the " + onnx.features() + " features of"
                    + " extractor " + extractor.name() + ": " + e.getMessage(), e);
        }
    }
}
