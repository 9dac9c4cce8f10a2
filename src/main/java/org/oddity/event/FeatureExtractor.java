package org.oddity.event;

import java.util.List;
import org.oddity.avro.CollisionEvent;

/**
 * Turns an event into the fixed-length float vector a model scores, and rejects events whose
 * content cannot give one (non-finite values, wrong length, missing objects).
 *
 * <p>Implementations write into the caller's array and allocate nothing on valid events.
 */
public interface FeatureExtractor {

    /** The extractor's name, as written in a bundle manifest. */
    String name();

    /** Ordered feature names; their count is the vector length. */
    List<String> featureNames();

    /**
     * Fills {@code out} (length {@code featureNames().size()}) from {@code event}.
     *
     * @throws EventLayoutException  if the event does not carry what this extractor reads
     * @throws InvalidEventException if a value the extractor reads is invalid
     */
    void extract(CollisionEvent event, float[] out) throws InvalidEventException;
}
