package org.oddity.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FailureStage;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScorerSwap;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.PValueMode;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.DelegatingScorer;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.score.Scorer;

/**
 * The one scoring path on its own: one event at a time and in batches give the same results,
 * randomized draws included; p-values and passed working points agree with the calibration table;
 * contributions are ranked only for flagged events; and each kind of event it cannot score gets
 * its stage and reason.
 */
class EventScorerTest {

    private static final OdditySettings SETTINGS = OdditySettings.from(SettingsSource.load(null, Map.of(),
            Map.of("working-points", "loose:1e-2,medium:1e-3,tight:1e-4")));

    private static ScoringModel model(DoubleUnaryOperator scoreOfHbos) throws InvalidBundleException {
        ModelBundle bundle = TrainedBundle.bundle();
        Scorer hbos = bundle.scorer();
        Scorer scorer = new DelegatingScorer(hbos, features -> scoreOfHbos.applyAsDouble(hbos.score(features)));
        return ScoringModel.of(ScorerSwap.withScorer(bundle, scorer), SETTINGS.calibration().cells(),
                SETTINGS.calibration().workingPoints(), SETTINGS.calibration().minSize());
    }

    private static List<CollisionEvent> events(int n) {
        List<CollisionEvent> events = new ArrayList<>();
        TrainedBundle.events(n, 61).forEachRemaining(events::add);
        return events;
    }

    @Test
    void oneAtATimeAndInBatchesAgreeRandomizedDrawsIncluded() throws InvalidBundleException {
        ScoringModel model = model(s -> s);
        List<CollisionEvent> events = events(700);
        EventScorer single = EventScorer.calibrated(() -> model, PValueMode.RANDOMIZED, new SplittableRandom(3), 3);
        EventScorer batched = EventScorer.calibrated(() -> model, PValueMode.RANDOMIZED, new SplittableRandom(3), 3);
        ScoredEvent[] out = new ScoredEvent[events.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = new ScoredEvent();
        }
        batched.scoreAll(events.toArray(new CollisionEvent[0]), events.size(), out);
        ScoredEvent one = new ScoredEvent();
        for (int i = 0; i < events.size(); i++) {
            assertTrue(single.score(events.get(i), one));
            assertTrue(out[i].ok());
            assertEquals(Double.valueOf(one.score()), Double.valueOf(out[i].score()), "event " + i);
            assertArrayEquals(one.pValues(), out[i].pValues(), "event " + i);
            assertEquals(one.passedMask(), out[i].passedMask());
            assertEquals(one.topFeatureCount(), out[i].topFeatureCount());
        }
    }

    @Test
    void pValuesPassedPointsAndContributionsFollowTheCalibration() throws InvalidBundleException {
        ScoringModel model = model(s -> s);
        EventScorer scorer = EventScorer.calibrated(() -> model, PValueMode.CONSERVATIVE, new SplittableRandom(1), 3);
        ScoredEvent out = new ScoredEvent();
        int flagged = 0;
        for (CollisionEvent event : events(3_000)) {
            assertTrue(scorer.score(event, out));
            assertEquals(model.cells().finestCellOf(event.getConditions()), out.cell());
            assertSame(model, out.model());
            for (int k = 0; k < out.pValues().length; k++) {
                assertEquals(out.calibration(k).set().pValue(out.score()), out.pValues()[k]);
                assertEquals(out.pValues()[k] <= model.workingPoints().alpha(k), (out.passedMask() & (1 << k)) != 0);
            }
            assertEquals(out.score() > model.globalThreshold(), out.flaggedByGlobalThreshold());
            if (!out.flagged()) {
                assertEquals(0, out.topFeatureCount(), "contributions only for flagged events");
                continue;
            }
            flagged++;
            assertEquals(Integer.numberOfTrailingZeros(Integer.highestOneBit(out.passedMask())), out.tightest());
            double[] all = new double[57];
            model.bundle().scorer().contributions(out.features(), all);
            double[] sorted = all.clone();
            Arrays.sort(sorted);
            assertEquals(3, out.topFeatureCount());
            for (int rank = 0; rank < 3; rank++) {
                assertEquals(sorted[56 - rank], out.topFeatureValue(rank));
                assertEquals(all[out.topFeatureIndex(rank)], out.topFeatureValue(rank));
            }
        }
        assertTrue(flagged > 5, flagged + " flagged");
    }

    @Test
    void eventsItCannotScoreGetTheirStageAndReason() throws InvalidBundleException {
        CollisionEvent good = events(1).get(0);
        ScoringModel nanModel = model(s -> Double.NaN);
        EventScorer nan = EventScorer.calibrated(() -> nanModel, PValueMode.CONSERVATIVE, new SplittableRandom(1), 0);
        ScoringModel infinite = model(s -> Double.POSITIVE_INFINITY);
        ScoringModel plain = model(s -> s);
        EventScorer inf = EventScorer.calibrated(() -> infinite, PValueMode.CONSERVATIVE, new SplittableRandom(1), 0);
        EventScorer scorer = EventScorer.calibrated(() -> plain, PValueMode.CONSERVATIVE, new SplittableRandom(1), 0);
        ScoredEvent out = new ScoredEvent();

        assertStage(nan.score(good, out), out, FailureStage.SCORE, "NaN score");
        assertStage(inf.score(good, out), out, FailureStage.SCORE, "infinite score");
        CollisionEvent noConditions = CollisionEvent.newBuilder(good).setConditions(null).build();
        assertStage(scorer.score(noConditions, out), out, FailureStage.VALIDATE, "no run conditions");
        CollisionEvent noObjects = CollisionEvent.newBuilder(good).setObjects(null).build();
        assertStage(scorer.score(noObjects, out), out, FailureStage.EXTRACT, "no trigger objects");
        assertTrue(scorer.score(good, out));
        assertNull(out.failedStage());
        assertNull(out.failure());
    }

    private static void assertStage(boolean scored, ScoredEvent out, FailureStage stage, String reason) {
        assertFalse(scored);
        assertFalse(out.ok());
        assertEquals(stage, out.failedStage());
        assertTrue(out.failure().contains(reason), out.failure());
    }
}
