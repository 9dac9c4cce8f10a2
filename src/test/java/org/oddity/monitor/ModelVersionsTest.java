package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The newest model versions are kept, a renewed one counts as the newest, and an unknown one has no layout. */
class ModelVersionsTest {

    private static final SummaryLayout LAYOUT = new SummaryLayout(List.of("loose"), 4, FeatureBinning.none());

    @Test
    void keepsTheNewestVersionsAndForgetsTheOldest() {
        ModelVersions versions = new ModelVersions(2);
        VersionReference second = new VersionReference(null, true, Map.of());
        versions.put("v1", LAYOUT, VersionReference.NONE);
        versions.put("v2", LAYOUT, second);
        versions.put("v1", LAYOUT, VersionReference.NONE);
        versions.put("v3", LAYOUT, VersionReference.NONE);
        // v1 was renewed after v2, so v2 is the oldest and goes.
        assertSame(LAYOUT, versions.layout("v1"));
        assertSame(LAYOUT, versions.layout("v3"));
        assertNull(versions.layout("v2"));
        assertEquals(VersionReference.NONE, versions.reference("v2"));
    }

    @Test
    void aRenewalReplacesTheReference() {
        ModelVersions versions = new ModelVersions(4);
        VersionReference recalibrated = new VersionReference(null, false, Map.of("cell", new boolean[] {true}));
        versions.put("v1", LAYOUT, VersionReference.NONE);
        versions.put("v1", LAYOUT, recalibrated);
        assertSame(recalibrated, versions.reference("v1"));
    }
}
