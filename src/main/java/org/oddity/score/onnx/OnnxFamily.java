package org.oddity.score.onnx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerTrainer;

/**
 * The onnx family: a model trained outside oddity, stored as {@code model.onnx} (the ONNX file
 * as imported) and {@code onnx.json} ({@link OnnxSettings}: tensor names, output kind, batch
 * size, thread counts). Reading checks the model against the settings, naming the tensor.
 */
public final class OnnxFamily implements ScorerFamily {

    static final String MODEL_FILE = "model.onnx";
    static final String SETTINGS_FILE = "onnx.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String family() {
        return OnnxScorer.FAMILY;
    }

    /** @throws IllegalArgumentException always: oddity runs ONNX models, it does not fit them */
    @Override
    public ScorerTrainer trainer(Map<String, String> parameters, long seed) {
        throw new IllegalArgumentException("onnx models are trained outside oddity and imported with"
                + " oddity import-onnx");
    }

    @Override
    public List<String> write(Scorer scorer, Path dir) throws IOException {
        OnnxScorer onnx = (OnnxScorer) scorer;
        Files.write(dir.resolve(MODEL_FILE), onnx.model());
        JSON.writeValue(dir.resolve(SETTINGS_FILE).toFile(), onnx.settings());
        return List.of(MODEL_FILE, SETTINGS_FILE);
    }

    @Override
    public Scorer read(Path dir) throws IOException {
        OnnxSettings settings = settings(dir);
        byte[] model;
        try {
            model = Files.readAllBytes(dir.resolve(MODEL_FILE));
        } catch (NoSuchFileException e) {
            throw new IOException(MODEL_FILE + " is missing", e);
        }
        try {
            return OnnxScorer.load(model, settings);
        } catch (IOException e) {
            throw new IOException(MODEL_FILE + ": " + e.getMessage(), e);
        }
    }

    private static OnnxSettings settings(Path dir) throws IOException {
        try {
            return JSON.readValue(dir.resolve(SETTINGS_FILE).toFile(), OnnxSettings.class);
        } catch (JsonProcessingException e) {
            // Jackson wraps the record's own complaint; the innermost message is the one that names the field.
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IOException(SETTINGS_FILE + ": " + (cause instanceof JsonProcessingException j
                    ? j.getOriginalMessage() : cause.getMessage()), e);
        }
    }
}
