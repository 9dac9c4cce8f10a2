package org.oddity.score.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.oddity.score.onnx.OnnxModels.Dense;

/**
 * An ONNX model built in Java scores through ONNX Runtime what the same network computes in
 * plain Java, one event or a batch at a time, from any thread; a model that does not fit its
 * settings is refused with the tensor named.
 */
class OnnxScorerTest {

    private static final int FEATURES = 57;
    /** ONNX Runtime computes in float; the plain-Java reference in double. */
    private static final double RELATIVE_TOLERANCE = 1e-5;

    private static OnnxSettings settings(String output, OutputKind kind, int batchSize) {
        return new OnnxSettings(FEATURES, OnnxModels.INPUT, output, kind, batchSize, 1, 1);
    }

    /** A scorer of the reconstruction error of {@code layers}, whose output tensor is {@code y}. */
    private static OnnxScorer reconstruction(List<Dense> layers, int batchSize) throws IOException {
        return OnnxScorer.load(OnnxModels.network("y", layers), settings("y", OutputKind.RECONSTRUCTION, batchSize));
    }

    /** Rows of L1-like magnitudes: transverse momenta of tens of GeV, angles of order one. */
    static float[] rows(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] rows = new float[count * FEATURES];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) (i % 3 == 0 ? 40 * random.nextDouble() : 2 * random.nextDouble() - 1);
        }
        return rows;
    }

    private static float[] row(float[] rows, int r) {
        return Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES);
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE_TOLERANCE * Math.max(1, Math.abs(expected)), what);
    }

    private static double mse(float[] x, double[] reconstruction) {
        double sum = 0;
        for (int j = 0; j < x.length; j++) {
            sum += (x[j] - reconstruction[j]) * (x[j] - reconstruction[j]);
        }
        return sum / x.length;
    }

    @Test
    void aLinearScoreIsTheDotProductPlusBias() throws IOException {
        List<Dense> linear = List.of(Dense.random(FEATURES, 1, false, new SplittableRandom(3)));
        float[] rows = rows(20, 4);
        for (boolean squeeze : new boolean[] {false, true}) {
            byte[] model = OnnxModels.network("score", linear, OnnxModels.DYNAMIC_BATCH, squeeze);
            try (OnnxScorer scorer = OnnxScorer.load(model, settings("score", OutputKind.SCORE, 256))) {
                assertEquals(FEATURES, scorer.featureCount());
                assertEquals("onnx", scorer.family());
                for (int r = 0; r < 20; r++) {
                    float[] x = row(rows, r);
                    double expected = linear.get(0).bias()[0];
                    for (int i = 0; i < FEATURES; i++) {
                        expected += (double) x[i] * linear.get(0).weights()[i][0];
                    }
                    assertClose(expected, scorer.score(x), "row " + r + (squeeze ? " of shape [N]" : " of shape [N, 1]"));
                }
            }
        }
    }

    @Test
    void anAutoencoderScoresItsReconstructionError() throws IOException {
        List<Dense> layers = OnnxModels.autoencoder(7, FEATURES, 8, FEATURES);
        float[] rows = rows(50, 8);
        try (OnnxScorer scorer = reconstruction(layers, 256)) {
            for (int r = 0; r < 50; r++) {
                float[] x = row(rows, r);
                double expected = mse(x, OnnxModels.forward(layers, x));
                assertTrue(expected > 1, "a random autoencoder reconstructs badly: " + expected);
                assertClose(expected, scorer.score(x), "row " + r);
            }
        }
    }

    @Test
    void scoreBatchGivesEveryRowItsOwnScoreAcrossBatchesAndTheTail() throws IOException {
        List<Dense> layers = OnnxModels.autoencoder(9, FEATURES, 16, 4, 16, FEATURES);
        float[] rows = rows(37, 10);
        try (OnnxScorer scorer = reconstruction(layers, 16)) {
            double[] batched = new double[37];
            scorer.scoreBatch(rows, 37, batched);
            double[] fewer = new double[5];
            scorer.scoreBatch(rows, 5, fewer);
            for (int r = 0; r < 37; r++) {
                double single = scorer.score(row(rows, r));
                assertClose(single, batched[r], "row " + r + " of 37 in batches of 16");
                assertClose(mse(row(rows, r), OnnxModels.forward(layers, row(rows, r))), batched[r], "row " + r);
                if (r < 5) {
                    assertEquals(batched[r], fewer[r], "a row scores the same in a batch of 5 and in its last batch");
                }
            }
        }
    }

    @Test
    void streamThreadsShareOneScorer() throws Exception {
        List<Dense> layers = OnnxModels.autoencoder(11, FEATURES, 8, FEATURES);
        float[] rows = rows(300, 12);
        try (OnnxScorer scorer = reconstruction(layers, 64)) {
            double[] expected = new double[300];
            scorer.scoreBatch(rows, 300, expected);
            ExecutorService threads = Executors.newFixedThreadPool(3);
            try {
                List<Future<double[]>> results = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    boolean single = t % 2 == 0;
                    results.add(threads.submit(() -> {
                        double[] out = new double[300];
                        for (int pass = 0; pass < 20; pass++) {
                            if (single) {
                                for (int r = 0; r < 300; r++) {
                                    out[r] = scorer.score(row(rows, r));
                                }
                            } else {
                                scorer.scoreBatch(rows, 300, out);
                            }
                        }
                        return out;
                    }));
                }
                for (Future<double[]> result : results) {
                    double[] out = result.get();
                    for (int r = 0; r < 300; r++) {
                        assertClose(expected[r], out[r], "row " + r);
                    }
                }
            } finally {
                threads.shutdown();
            }
        }
    }

    @Test
    void aModelTakingOneEventPerRunScoresWithBatchSizeOne() throws IOException {
        List<Dense> layers = OnnxModels.autoencoder(13, FEATURES, 8, FEATURES);
        byte[] model = OnnxModels.network("y", layers, 1, false);
        IOException refused = assertThrows(IOException.class,
                () -> OnnxScorer.load(model, settings("y", OutputKind.RECONSTRUCTION, 256)));
        assertEquals("input tensor 'x' takes one event per run, so the batch size must be 1, not 256",
                refused.getMessage());
        float[] rows = rows(3, 14);
        try (OnnxScorer scorer = OnnxScorer.load(model, settings("y", OutputKind.RECONSTRUCTION, 1))) {
            double[] out = new double[3];
            scorer.scoreBatch(rows, 3, out);
            for (int r = 0; r < 3; r++) {
                assertClose(mse(row(rows, r), OnnxModels.forward(layers, row(rows, r))), out[r], "row " + r);
            }
        }
    }

    @Test
    void aModelThatDoesNotFitItsSettingsIsRefusedNamingTheTensor() {
        byte[] autoencoder = OnnxModels.network("y", OnnxModels.autoencoder(15, FEATURES, 8, FEATURES));
        assertEquals("the model has no input tensor 'nope'; its inputs: [x]", assertThrows(IOException.class,
                () -> OnnxScorer.load(autoencoder, new OnnxSettings(FEATURES, "nope", "y", OutputKind.RECONSTRUCTION,
                        256, 1, 1))).getMessage());
        assertEquals("the model has no output tensor 'score'; its outputs: [y]", assertThrows(IOException.class,
                () -> OnnxScorer.load(autoencoder, settings("score", OutputKind.SCORE, 256))).getMessage());
        assertEquals("output tensor 'y' gives shape [2, 57] for 2 events; a score output has shape [2] or [2, 1]",
                assertThrows(IOException.class,
                        () -> OnnxScorer.load(autoencoder, settings("y", OutputKind.SCORE, 256))).getMessage());

        byte[] narrow = OnnxModels.network("y", OnnxModels.autoencoder(16, 10, 4, 10));
        assertEquals("input tensor 'x' has shape [-1, 10]; oddity feeds [N, 57], N events of 57 features",
                assertThrows(IOException.class,
                        () -> OnnxScorer.load(narrow, settings("y", OutputKind.RECONSTRUCTION, 256))).getMessage());

        byte[] truncated = Arrays.copyOf(autoencoder, autoencoder.length / 2);
        IOException corrupt = assertThrows(IOException.class,
                () -> OnnxScorer.load(truncated, settings("y", OutputKind.RECONSTRUCTION, 256)));
        assertTrue(corrupt.getMessage().startsWith("ONNX Runtime cannot load the model: "), corrupt.getMessage());
    }

    @Test
    void theSignatureNamesTensorsAndShapes() throws IOException {
        OnnxSignature signature = OnnxSignature.of(OnnxModels.network("y", OnnxModels.autoencoder(17, FEATURES, 8,
                FEATURES)));
        assertEquals(List.of("x"), List.copyOf(signature.inputs().keySet()));
        assertEquals(new OnnxSignature.Tensor("FLOAT", List.of(-1L, 57L)), signature.inputs().get("x"));
        assertEquals(new OnnxSignature.Tensor("FLOAT", List.of(-1L, 57L)), signature.outputs().get("y"));
        assertEquals(OutputKind.RECONSTRUCTION, OutputKind.inferred(signature.outputs().get("y").shape(), FEATURES));
        assertEquals(OutputKind.SCORE, OutputKind.inferred(List.of(-1L, 1L), FEATURES));
        assertEquals(OutputKind.SCORE, OutputKind.inferred(List.of(-1L), FEATURES));
    }

    @Test
    void aClosedScorerRefusesToScore() throws IOException {
        OnnxScorer scorer = reconstruction(OnnxModels.autoencoder(18, FEATURES, 8, FEATURES), 8);
        float[] x = row(rows(1, 19), 0);
        double before = scorer.score(x);
        assertTrue(before > 0);
        scorer.close();
        scorer.close();
        assertThrows(IllegalStateException.class, () -> scorer.score(x));
        double[] out = new double[1];
        assertThrows(IllegalStateException.class, () -> scorer.scoreBatch(x, 1, out));
        assertArrayEquals(new double[1], out);
    }
}
