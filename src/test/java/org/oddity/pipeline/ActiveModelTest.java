package org.oddity.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.BundleWriter;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.OdditySettings;
import org.oddity.event.FeatureVectorExtractor;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.fixtures.SwapBundles;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.hbos.HbosTrainer;
import org.oddity.score.preprocess.Preprocessing;

/**
 * {@link ActiveModel} switches only to a model that can replace the running one: same features,
 * and calibration at least as fine for every cell that has seen events.
 */
class ActiveModelTest {

    @TempDir
    static Path dir;

    private static OdditySettings settings;
    private static ScoringModel initial;
    private static ModelBundle other;

    @BeforeAll
    static void bundles() throws Exception {
        settings = SwapBundles.settings(Map.of());
        initial = ScoringModel.of(BundleReader.read(SwapBundles.calibrated(dir.resolve("a"), 1)),
                settings.calibration().cells(), settings.calibration().workingPoints(),
                settings.calibration().minSize());
        other = BundleReader.read(SwapBundles.calibrated(dir.resolve("b"), 2));
    }

    private static ActiveModel active(CellCounters counters) {
        return new ActiveModel(initial, counters, settings.calibration().minSize());
    }

    @Test
    void switchesToAFitModelOnceAndIgnoresTheRunningVersion() throws Exception {
        ActiveModel active = active(new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size()));
        assertEquals(SwapBundles.NAME, active.modelName());
        assertEquals(ActiveModel.Outcome.ALREADY_RUNNING, active.switchTo(initial.bundle()),
                "the running version again is no switch");
        assertSame(initial, active.current());
        assertEquals(ActiveModel.Outcome.SWITCHED, active.switchTo(other));
        assertEquals(other.version(), active.current().bundle().version());
        assertEquals(initial.cells(), active.current().cells());
        assertEquals(ActiveModel.Outcome.ALREADY_RUNNING, active.switchTo(other));
    }

    @Test
    void refusesOtherFeaturesAndCoarserCalibrationOfActiveCellsOnly() throws Exception {
        FeatureMatrix flat = new FeatureMatrix(2);
        flat.add(new float[] {1, 2});
        flat.add(new float[] {2, 3});
        double[] scores = new double[500];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i;
        }
        Path calo = dir.resolve("calo");
        BundleWriter.write(calo, SwapBundles.NAME, new HbosTrainer(5, 1.0).train(flat),
                new FeatureVectorExtractor("calo-2", List.of("e1", "e2")), "calo-2", Preprocessing.NONE, "d", 2,
                Map.of(CellScheme.GLOBAL, CalibrationSet.of(scores)));
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = active(counters);
        InvalidBundleException features = assertThrows(InvalidBundleException.class,
                () -> active.switchTo(BundleReader.read(calo)));
        assertTrue(features.getMessage().contains("reads features features 2 (calo-2) but the stream carries"
                + " l1-objects-57 57 (null)"), features.getMessage());

        // Same features, but only a global calibration set.
        FeatureMatrix data = new FeatureMatrix(57);
        data.add(new float[57]);
        Path globalOnly = dir.resolve("global-only");
        BundleWriter.write(globalOnly, SwapBundles.NAME, new HbosTrainer(7, 1.0).train(data),
                new L1ObjectsExtractor(), null, Preprocessing.NONE, "d", 1,
                Map.of(CellScheme.GLOBAL, CalibrationSet.of(scores)));
        ModelBundle coarse = BundleReader.read(globalOnly);
        // No cell has seen an event yet, so a global calibration serves them all.
        ActiveModel idle = active(new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size()));
        assertEquals(ActiveModel.Outcome.SWITCHED, idle.switchTo(coarse));

        counters.scored(3, 0, false);
        String cell = initial.table().cellFor(3).requested();
        InvalidBundleException calibration = assertThrows(InvalidBundleException.class,
                () -> active.switchTo(coarse));
        assertEquals("model " + SwapBundles.NAME + " " + coarse.version() + " has no calibration of at least 99 events"
                + " for active cell " + cell + " at " + cell + "; it would fall back to global", calibration.getMessage());
        assertSame(initial, active.current(), "a refused model leaves the running one in place");
    }

    @Test
    void eachRefusalIsHandedOutOnce() {
        ActiveModel active = active(new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size()));
        assertNull(active.nextRefusal());
        active.refused(new ActiveModel.Refusal("m", "v1", "bad digest", 5));
        active.refused(new ActiveModel.Refusal("m", "v2", "no calibration", 6));
        assertEquals("v1", active.nextRefusal().modelVersion());
        assertEquals("v2", active.nextRefusal().modelVersion());
        assertNull(active.nextRefusal());
    }
}
