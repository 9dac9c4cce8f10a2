package org.oddity.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FeatureVector;
import org.oddity.avro.RunConditions;

/**
 * Flat feature vectors pass through unchanged when their layout name and length match the
 * model's, and are rejected with a reason naming the layout, the length or the bad feature.
 */
class FeatureVectorExtractorTest {

    private static final FeatureVectorExtractor CALO = new FeatureVectorExtractor("calo-3", List.of("e_t", "hcal", "ecal"));

    private static CollisionEvent event(FeatureVector vector) {
        return new CollisionEvent(7L, 2, 99L, 0L, 1, new RunConditions(30f, 1f, "ALL_IN", new HashMap<>()), null,
                vector, null);
    }

    private static String rejection(FeatureVector vector) {
        return assertThrows(InvalidEventException.class, () -> CALO.extract(event(vector), new float[3]))
                .getMessage();
    }

    @Test
    void matchingVectorsPassThrough() throws InvalidEventException {
        assertEquals("features", CALO.name());
        assertEquals(List.of("e_t", "hcal", "ecal"), CALO.featureNames());
        float[] out = new float[3];
        CALO.extract(event(new FeatureVector("calo-3", new ArrayList<>(List.of(1.5f, -0f, 3e30f)))), out);
        assertArrayEquals(new float[] {1.5f, -0f, 3e30f}, out);
    }

    @Test
    void mismatchesAreRejectedWithTheirReason() {
        assertEquals("event carries no feature vector, which layout calo-3 needs", rejection(null));
        assertEquals("feature layout tracker-3 is not the model's calo-3",
                rejection(new FeatureVector("tracker-3", new ArrayList<>(List.of(1f, 2f, 3f)))));
        assertEquals("feature vector has 2 values, layout calo-3 has 3",
                rejection(new FeatureVector("calo-3", new ArrayList<>(List.of(1f, 2f)))));
        assertEquals("feature vector has 4 values, layout calo-3 has 3",
                rejection(new FeatureVector("calo-3", new ArrayList<>(List.of(1f, 2f, 3f, 4f)))));
        assertEquals("feature hcal is Infinity",
                rejection(new FeatureVector("calo-3", new ArrayList<>(List.of(1f, Float.POSITIVE_INFINITY, 3f)))));
        assertEquals("feature ecal is NaN",
                rejection(new FeatureVector("calo-3", new ArrayList<>(List.of(1f, 2f, Float.NaN)))));
        assertThrows(IllegalArgumentException.class, () -> new FeatureVectorExtractor("empty", List.of()));
    }
}
