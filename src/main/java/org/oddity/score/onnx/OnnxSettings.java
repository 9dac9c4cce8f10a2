package org.oddity.score.onnx;

/**
 * How oddity runs an ONNX model, stored in a bundle as {@code onnx.json} next to
 * {@code model.onnx}.
 *
 * @param features       length of the feature vectors the model takes
 * @param input          name of the input tensor, of shape [N, features] and type float
 * @param output         name of the output tensor oddity reads, of type float
 * @param outputKind     what that output is
 * @param batchSize      most events one session run scores
 * @param intraOpThreads ONNX Runtime threads working inside one operator
 * @param interOpThreads ONNX Runtime threads running independent operators side by side
 */
public record OnnxSettings(int features, String input, String output, OutputKind outputKind, int batchSize,
        int intraOpThreads, int interOpThreads) {

    /** Events per session run unless told otherwise: large enough to amortise a run's fixed cost. */
    public static final int DEFAULT_BATCH_SIZE = 256;
    /** Largest batch, so that one thread's buffers stay small next to the model. */
    public static final int MAX_BATCH_SIZE = 65_536;
    /** Largest thread count per pool. */
    public static final int MAX_THREADS = 256;
    /** Upper bound on features, so a corrupt {@code onnx.json} cannot ask for a huge buffer. */
    public static final int MAX_FEATURES = 1 << 16;

    /** @throws IllegalArgumentException naming the field that is missing or out of range */
    public OnnxSettings {
        inRange("features", features, 1, MAX_FEATURES);
        if (input == null || input.isEmpty()) {
            throw new IllegalArgumentException("input tensor name is missing");
        }
        if (output == null || output.isEmpty()) {
            throw new IllegalArgumentException("output tensor name is missing");
        }
        if (outputKind == null) {
            throw new IllegalArgumentException("output kind is missing: expected score or reconstruction");
        }
        inRange("batchSize", batchSize, 1, MAX_BATCH_SIZE);
        inRange("intraOpThreads", intraOpThreads, 1, MAX_THREADS);
        inRange("interOpThreads", interOpThreads, 1, MAX_THREADS);
    }

    private static void inRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " is " + value + ", expected an integer in [" + min + ", "
                    + max + "]");
        }
    }
}
