package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.cli.ReplayCommandTest.Outcome;
import org.oddity.event.FeatureVectorExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.onnx.OnnxModels.Dense;
import org.oddity.score.onnx.OnnxModels;
import org.oddity.score.onnx.OnnxScorer;
import org.oddity.score.onnx.OnnxSettings;
import org.oddity.score.onnx.OutputKind;
import org.oddity.sim.DaqSimulator;
import picocli.CommandLine;

/**
 * {@code oddity import-onnx}: an ONNX model becomes a bundle calibrated on simulated background
 * or a table's rows, which loads and scores as the model does; bad flags name themselves and a
 * model that cannot run is refused.
 */
class ImportOnnxCommandTest {

    private static final int CALIBRATION_EVENTS = 20_000;
    private static final List<Dense> L1_AUTOENCODER = OnnxModels.autoencoder(31, 57, 8, 57);

    @TempDir
    Path dir;

    private Path modelFile(String name, byte[] model) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, model);
        return file;
    }

    private Path l1Autoencoder() throws IOException {
        return modelFile("ae.onnx", OnnxModels.network("reconstruction", L1_AUTOENCODER));
    }

    private static Outcome importOnnx(String... args) {
        return ReplayCommandTest.run(new ImportOnnxCommand(), args);
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }

    @Test
    void calibratesOnSimulatedBackgroundAndScoresTheSameAfterReload() throws Exception {
        Path bundle = dir.resolve("bundle");
        Outcome outcome = importOnnx(l1Autoencoder().toString(), "--output", bundle.toString(),
                "--calibration-events", String.valueOf(CALIBRATION_EVENTS), "--batch-size", "64",
                "--set", "working-points=loose:1e-2");
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("input 'x' [N, 57] (l1-objects-57), output 'reconstruction' read as"
                + " reconstruction, batch size 64"), outcome.out());

        ModelBundle loaded = BundleReader.read(bundle);
        BundleManifest manifest = loaded.manifest();
        assertEquals("onnx", manifest.scorer());
        assertEquals("ae", manifest.name());
        assertEquals(L1ObjectsExtractor.NAME, manifest.extractor());
        assertEquals(0, manifest.trainingEvents());
        assertTrue(manifest.files().keySet().containsAll(List.of("model.onnx", "onnx.json")), manifest.files().toString());
        assertTrue(manifest.version().startsWith("onnx-"), manifest.version());

        // The global calibration set holds the model's score of every simulated calibration event.
        L1ObjectsExtractor extractor = new L1ObjectsExtractor();
        DaqSimulator events = BundleTraining.simulatedCalibration(CALIBRATION_EVENTS, 3600, 1);
        double[] expected = new double[CALIBRATION_EVENTS];
        int scored = 0;
        float[] x = new float[57];
        try (OnnxScorer reference = OnnxScorer.load(OnnxModels.network("reconstruction", L1_AUTOENCODER),
                new OnnxSettings(57, "x", "reconstruction", OutputKind.RECONSTRUCTION, 64, 1, 1))) {
            while (events.hasNext()) {
                CollisionEvent event = events.next();
                try {
                    extractor.extract(event, x);
                } catch (InvalidEventException e) {
                    continue;
                }
                expected[scored++] = reference.score(x);
                assertEquals(expected[scored - 1], loaded.scorer().score(x), 0.0, "the reloaded model scores the same");
            }
        }
        double[] calibration = loaded.calibration().get("global").sortedScores();
        assertEquals(scored, calibration.length);
        double[] sorted = Arrays.copyOf(expected, scored);
        Arrays.sort(sorted);
        for (int i = 0; i < scored; i++) {
            assertEquals(sorted[i], calibration[i], 1e-6 * Math.max(1, sorted[i]), "calibration score " + i);
        }
        ((OnnxScorer) loaded.scorer()).close();
    }

    @Test
    void calibratesAFeaturesModelOnTheColumnsOfATable() throws Exception {
        Path table = dir.resolve("jets.csv");
        SplittableRandom random = new SplittableRandom(5);
        try (Writer out = Files.newBufferedWriter(table)) {
            out.write("pileup,state,jet_pt,jet_eta,n_constituents,label\n");
            for (int i = 0; i < 500; i++) {
                out.write((20 + random.nextInt(40)) + ",ALL_IN," + (float) (30 + 20 * random.nextDouble()) + ","
                        + (float) (5 * random.nextDouble() - 2.5) + "," + (5 + random.nextInt(30)) + ","
                        + (i % 5 == 0 ? "signal" : "background") + "\n");
            }
        }
        List<Dense> linear = List.of(Dense.random(3, 1, false, new SplittableRandom(6)));
        Path model = modelFile("jets-score.onnx", OnnxModels.network("anomaly", linear, OnnxModels.DYNAMIC_BATCH,
                true));
        Path bundle = dir.resolve("bundle");
        Outcome outcome = importOnnx(model.toString(), "--output", bundle.toString(), "--calibration-input",
                table.toString(), "--condition", "pileup=pileup", "--condition", "detectorState=state",
                "--label-column", "label", "--background-label", "background", "--extractor", "features",
                "--name", "jets");
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.out().contains("output 'anomaly' read as score, batch size 256"), outcome.out());

        ModelBundle loaded = BundleReader.read(bundle);
        assertEquals(FeatureVectorExtractor.NAME, loaded.manifest().extractor());
        assertEquals(List.of("jet_pt", "jet_eta", "n_constituents"), loaded.manifest().featureNames());
        assertEquals("jets", loaded.manifest().name());
        assertEquals(400, loaded.calibration().get("global").size(), "every background row calibrates");
        float[] x = {40f, 1f, 12f};
        double expected = linear.get(0).bias()[0];
        for (int i = 0; i < 3; i++) {
            expected += x[i] * (double) linear.get(0).weights()[i][0];
        }
        assertEquals(expected, loaded.scorer().score(x), 1e-5 * Math.max(1, Math.abs(expected)));
        ((OnnxScorer) loaded.scorer()).close();
    }

    @Test
    void badFlagsStopWithOneLineNamingTheFlag() throws Exception {
        String[] common = {l1Autoencoder().toString(), "--output", dir.resolve("b").toString()};
        Outcome zeroBatch = importOnnx(with(common, "--batch-size", "0"));
        assertEquals("--batch-size", zeroBatch.invalidKey());
        assertEquals("invalid setting --batch-size='0': expected an integer in [1, 65536]",
                zeroBatch.thrown().getMessage());
        assertEquals("--intra-op-threads", importOnnx(with(common, "--intra-op-threads", "0")).invalidKey());
        assertEquals("--output-kind", importOnnx(with(common, "--output-kind", "mse")).invalidKey());
        assertEquals("--extractor", importOnnx(with(common, "--extractor", "jets")).invalidKey());
        assertEquals("--extractor", importOnnx(with(common, "--extractor", "features")).invalidKey());
        assertEquals("--condition", importOnnx(with(common, "--condition", "pileup=npv")).invalidKey());
        assertEquals("--calibration-events", importOnnx(with(common, "--calibration-events", "0")).invalidKey());
        Outcome wrongInput = importOnnx(with(common, "--input-name", "features"));
        assertEquals("--input-name", wrongInput.invalidKey());
        assertEquals("invalid setting --input-name='features': the model's inputs are [x]",
                wrongInput.thrown().getMessage());
        assertEquals("--output-name", importOnnx(with(common, "--output-name", "y")).invalidKey());

        Path oneAtATime = modelFile("one.onnx", OnnxModels.network("y", L1_AUTOENCODER, 1, false));
        assertEquals("--batch-size", importOnnx(oneAtATime.toString(), "--output", dir.resolve("c").toString(),
                "--batch-size", "8").invalidKey());

        OddityCommandLineTest.assertOneLineNaming(OddityCommandLineTest.run(with(new String[] {"import-onnx"},
                with(common, "--batch-size", "-1"))), "--batch-size");
    }

    @Test
    void aModelThatCannotRunIsRefusedWithTheReason() throws Exception {
        byte[] good = OnnxModels.network("y", L1_AUTOENCODER);
        Path corrupt = modelFile("corrupt.onnx", Arrays.copyOf(good, good.length / 3));
        Outcome refused = importOnnx(corrupt.toString(), "--output", dir.resolve("b").toString());
        InvalidBundleException e = assertInstanceOf(InvalidBundleException.class, refused.thrown(), refused.err());
        assertTrue(e.getMessage().startsWith("ONNX model " + corrupt + ": ONNX Runtime cannot load the model: "),
                e.getMessage());

        Path narrow = modelFile("narrow.onnx", OnnxModels.network("y", OnnxModels.autoencoder(32, 10, 4, 10)));
        Outcome mismatch = importOnnx(narrow.toString(), "--output", dir.resolve("c").toString(),
                "--calibration-events", "10");
        assertEquals("ONNX model " + narrow + " on the 57 features of extractor l1-objects-57: input tensor 'x' has"
                + " shape [-1, 10]; oddity feeds [N, 57], N events of 57 features",
                assertInstanceOf(InvalidBundleException.class, mismatch.thrown(), mismatch.err()).getMessage());
        assertTrue(Files.notExists(dir.resolve("c")), "nothing is written for a refused model");

        OddityCommandLineTest.Outcome exit = OddityCommandLineTest.run("import-onnx", corrupt.toString(), "--output",
                dir.resolve("d").toString());
        assertEquals(Oddity.EXIT_BAD_BUNDLE, exit.code(), exit.err());
        assertTrue(exit.err().startsWith("oddity: refused ONNX model " + corrupt), exit.err());

        Outcome missing = importOnnx(dir.resolve("none.onnx").toString(), "--output", dir.resolve("e").toString());
        assertEquals(1, missing.code());
        assertEquals("oddity: " + dir.resolve("none.onnx") + " does not exist", missing.err().strip());
    }

    @Test
    void isASubcommandOfOddity() {
        assertTrue(new CommandLine(Oddity.class).getSubcommands().containsKey("import-onnx"));
    }
}
