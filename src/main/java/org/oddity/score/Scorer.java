package org.oddity.score;

/**
 * An anomaly score s(x): larger means less like the background the model was trained on.
 *
 * <p>Implementations are immutable after construction and safe to share between stream
 * threads; {@link #score} must not allocate, log or block, because it runs once per event.
 */
public interface Scorer {

    /** The scorer family's short name, as written in a bundle manifest (e.g. {@code hbos}). */
    String family();

    /** Number of features {@link #score} expects. */
    int featureCount();

    /** Anomaly score of one feature vector of length {@link #featureCount()}. */
    double score(float[] features);

    /**
     * Scores {@code count} vectors stored row-major in {@code rows} ({@code count *
     * featureCount()} values) into {@code out[0..count)}. Families whose cost is dominated by a
     * per-call overhead (ONNX Runtime) override it; the default scores row by row.
     */
    default void scoreBatch(float[] rows, int count, double[] out) {
        int d = featureCount();
        float[] row = new float[d];
        for (int r = 0; r < count; r++) {
            System.arraycopy(rows, r * d, row, 0, d);
            out[r] = score(row);
        }
    }

    /** Whether {@link #contributions} splits the score over the features. */
    default boolean explainsFeatures() {
        return false;
    }

    /**
     * Writes feature i's share of the score of {@code features} into {@code out[i]}, larger
     * meaning more anomalous; only for a scorer that {@link #explainsFeatures()}.
     *
     * @throws UnsupportedOperationException if this family does not split its score
     */
    default void contributions(float[] features, double[] out) {
        throw new UnsupportedOperationException(family() + " does not split its score over features");
    }
}
