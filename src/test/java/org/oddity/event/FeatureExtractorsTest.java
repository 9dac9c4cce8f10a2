package org.oddity.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A bundle's extractor name and feature names select an extractor, or are refused with the reason. */
class FeatureExtractorsTest {

    private static final List<String> L1_NAMES = new L1ObjectsExtractor().featureNames();

    @Test
    void knownExtractorsAreCreated() {
        FeatureExtractor l1 = FeatureExtractors.create("l1-objects-57", null, new ArrayList<>(L1_NAMES));
        assertTrue(l1 instanceof L1ObjectsExtractor);
        assertEquals(57, l1.featureNames().size());
        FeatureExtractor flat = FeatureExtractors.create("features", "calo-2", List.of("a", "b"));
        assertTrue(flat instanceof FeatureVectorExtractor);
        assertEquals(List.of("a", "b"), flat.featureNames());
        // Each call gives a new instance: extractors hold per-task scratch space.
        assertTrue(l1 != FeatureExtractors.create("l1-objects-57", null, L1_NAMES));
    }

    @Test
    void unknownExtractorIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureExtractors.create("autoencoder-inputs", null, L1_NAMES));
        assertEquals("unknown feature extractor autoencoder-inputs (known: l1-objects-57, features)", e.getMessage());
    }

    @Test
    void mismatchingNamesAreRefused() {
        List<String> renamed = new ArrayList<>(L1_NAMES);
        renamed.set(30, "jet1_energy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureExtractors.create("l1-objects-57", null, renamed));
        assertEquals("feature names do not match extractor l1-objects-57: expected 57 names [met_pt, met_eta, met_phi]"
                + "..., got 57 names", e.getMessage());
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> FeatureExtractors.create("l1-objects-57", null, L1_NAMES.subList(0, 56)));
        assertTrue(shorter.getMessage().endsWith("got 56 names"), shorter.getMessage());
        List<String> reordered = new ArrayList<>(L1_NAMES);
        java.util.Collections.swap(reordered, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> FeatureExtractors.create("l1-objects-57", null, reordered));
        IllegalArgumentException noLayout = assertThrows(IllegalArgumentException.class,
                () -> FeatureExtractors.create("features", " ", List.of("a")));
        assertEquals("extractor features needs a feature layout name", noLayout.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureExtractors.create("features", null, List.of("a")));
        assertThrows(IllegalArgumentException.class, () -> FeatureExtractors.create("features", "x", List.of()));
    }
}
