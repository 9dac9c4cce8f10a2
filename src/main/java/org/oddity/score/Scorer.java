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
}
