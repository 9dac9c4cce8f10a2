package org.oddity.score.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerRegistry;

/**
 * The onnx family stores the model file and its settings, reads back a scorer that scores the
 * same, and refuses settings the model does not fit; it does not train.
 */
class OnnxFamilyTest {

    private static final int FEATURES = 57;
    private final ScorerFamily family = ScorerRegistry.family("onnx").orElseThrow();

    @TempDir
    Path dir;

    private static OnnxScorer autoencoder() throws IOException {
        return OnnxScorer.load(OnnxModels.network("y", OnnxModels.autoencoder(21, FEATURES, 8, FEATURES)),
                new OnnxSettings(FEATURES, "x", "y", OutputKind.RECONSTRUCTION, 32, 1, 1));
    }

    @Test
    void aWrittenModelReadsBackAndScoresTheSame() throws IOException {
        float[] rows = OnnxScorerTest.rows(40, 22);
        double[] before = new double[40];
        try (OnnxScorer scorer = autoencoder()) {
            scorer.scoreBatch(rows, 40, before);
            assertEquals(List.of("model.onnx", "onnx.json"), family.write(scorer, dir));
            assertArrayEquals(scorer.model(), Files.readAllBytes(dir.resolve("model.onnx")));
        }
        String json = Files.readString(dir.resolve("onnx.json"));
        assertTrue(json.contains("\"outputKind\" : \"reconstruction\""), json);
        Scorer read = family.read(dir);
        try (OnnxScorer onnx = (OnnxScorer) read) {
            assertEquals(new OnnxSettings(FEATURES, "x", "y", OutputKind.RECONSTRUCTION, 32, 1, 1), onnx.settings());
            double[] after = new double[40];
            onnx.scoreBatch(rows, 40, after);
            assertArrayEquals(before, after, "the same model and batches give the same scores");
        }
    }

    @Test
    void badSettingsOrAMissingModelAreRefusedNamingTheFile() throws IOException {
        try (OnnxScorer scorer = autoencoder()) {
            family.write(scorer, dir);
        }
        String json = Files.readString(dir.resolve("onnx.json"));
        assertEquals("model.onnx: the model has no input tensor 'z'; its inputs: [x]",
                refusal(json.replace("\"input\" : \"x\"", "\"input\" : \"z\"")));
        assertEquals("model.onnx: input tensor 'x' has shape [-1, 57]; oddity feeds [N, 56], N events of 56 features",
                refusal(json.replace("\"features\" : 57", "\"features\" : 56")));
        assertEquals("onnx.json: batchSize is 0, expected an integer in [1, 65536]",
                refusal(json.replace("\"batchSize\" : 32", "\"batchSize\" : 0")));
        assertEquals("onnx.json: output kind mse: expected score or reconstruction",
                refusal(json.replace("\"reconstruction\"", "\"mse\"")));

        Files.writeString(dir.resolve("onnx.json"), json);
        Files.delete(dir.resolve("model.onnx"));
        assertEquals("model.onnx is missing", assertThrows(IOException.class, () -> family.read(dir)).getMessage());
    }

    /** Why the family refuses the bundle in {@link #dir} once its {@code onnx.json} reads {@code json}. */
    private String refusal(String json) throws IOException {
        Files.writeString(dir.resolve("onnx.json"), json);
        return assertThrows(IOException.class, () -> family.read(dir)).getMessage();
    }

    @Test
    void onnxModelsAreImportedNotTrained() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> family.trainer(Map.of(), 1));
        assertEquals("onnx models are trained outside oddity and imported with oddity import-onnx", e.getMessage());
    }
}
