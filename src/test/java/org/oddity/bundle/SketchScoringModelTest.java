package org.oddity.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.SketchCalibration;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.event.FeatureExtractor;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.sim.DaqSimulator;

/**
 * Bounded-memory mode: with {@code calibration.sketch-k} set, a scoring model holds every cell's
 * calibration as a REQ sketch, lets the bundle's exact sets go, resolves the same cells, and gives
 * p-values within the sketch's stated relative error of the exact ones; online sets are sketched
 * too.
 */
class SketchScoringModelTest {

    @Test
    void sketchedModelResolvesTheSameCellsWithinTheStatedError() throws Exception {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(),
                Map.of("calibration.sketch-k", "32")));
        assertEquals(32, settings.calibration().sketchK());
        ModelBundle bundle = TrainedBundle.bundle();
        ScoringModel exact = ScoringModel.of(bundle, settings.calibration().cells(),
                settings.calibration().workingPoints(), 0);
        ScoringModel sketched = ScoringModel.of(bundle, settings.calibration().cells(),
                settings.calibration().workingPoints(), 0, Map.of(), settings.calibration().sketchK());
        assertTrue(sketched.bundle().calibration().isEmpty(), "the exact sets are let go");
        assertEquals(bundle.version(), sketched.bundle().version());
        assertEquals(32, sketched.sketchK());

        // About 3 standard errors of the sketch's relative error at k = 32 (0.13 / k each).
        double tolerance = 3 * 0.1306 / 32;
        FeatureExtractor extractor = bundle.newExtractor();
        float[] x = new float[57];
        DaqSimulator events = TrainedBundle.events(3_000, 141);
        int compared = 0;
        while (events.hasNext()) {
            CollisionEvent e = events.next();
            int cell = settings.calibration().cells().finestCellOf(e.getConditions());
            extractor.extract(e, x);
            double score = bundle.scorer().score(x);
            for (int k = 0; k < settings.calibration().workingPoints().size(); k++) {
                ResolvedCell a = exact.table().cellFor(cell, k);
                ResolvedCell b = sketched.table().cellFor(cell, k);
                assertEquals(a.used(), b.used());
                assertEquals(a.set().size(), b.set().size());
                assertInstanceOf(SketchCalibration.class, b.set());
                double pa = a.set().pValue(score);
                double pb = b.set().pValue(score);
                assertTrue(Math.abs(pb - pa) <= tolerance * pa + 1.0 / (a.set().size() + 1.0),
                        "cell " + a.used() + " score " + score + ": exact p " + pa + ", sketch p " + pb);
                compared++;
            }
        }
        assertEquals(3_000 * settings.calibration().workingPoints().size(), compared);

        double[] scores = new double[20_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i;
        }
        ScoringModel online = sketched.withOnline(Map.of("global", CalibrationSet.of(scores)));
        assertEquals(CalibrationTable.ONLINE, online.table().globalCell().source());
        assertInstanceOf(SketchCalibration.class, online.table().globalCell().set());
        assertEquals(20_000, online.table().globalCell().set().size());
    }

    @Test
    void sketchKMustBeZeroOrEvenInRange() {
        for (String bad : List.of("2", "33", "2000", "-4")) {
            InvalidSettingException e = assertThrows(InvalidSettingException.class,
                    () -> OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of("calibration.sketch-k", bad))));
            assertEquals("calibration.sketch-k", e.key());
        }
    }
}
