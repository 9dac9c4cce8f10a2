package org.oddity.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

/** AUC with ties on exact small cases and on two Gaussians, and the TPR at a FPR on constructed scores. */
class RocCurveTest {

    @Test
    void aucCountsTiesOneHalf() {
        // Pairs (s, b): s=2 beats 1, ties 2; s=3 beats 1, 2, ties 3; s=4 beats all: (1.5 + 2.5 + 3) / 9.
        assertEquals(7.0 / 9.0, RocCurve.of(new double[] {1, 2, 3}, new double[] {2, 3, 4}).auc(), 1e-15);
        assertEquals(0.5, RocCurve.of(new double[] {1, 1}, new double[] {1, 1, 1}).auc(), 1e-15);
        assertEquals(1.0, RocCurve.of(new double[] {1, 2}, new double[] {3}).auc(), 1e-15);
        assertEquals(0.0, RocCurve.of(new double[] {3, 4}, new double[] {1, 2}).auc(), 1e-15);
        // Order of the input does not matter.
        assertEquals(7.0 / 9.0, RocCurve.of(new double[] {3, 1, 2}, new double[] {4, 2, 3}).auc(), 1e-15);
    }

    @Test
    void aucOfTwoGaussiansIsPhiOfTheSeparationOverRootTwo() {
        SplittableRandom random = new SplittableRandom(5);
        int n = 20_000;
        double separation = 1.0;
        double[] background = new double[n];
        double[] signal = new double[n];
        NormalDistribution normal = new NormalDistribution(null, 0.0, 1.0);
        for (int i = 0; i < n; i++) {
            background[i] = normal.inverseCumulativeProbability(random.nextDouble());
            signal[i] = separation + normal.inverseCumulativeProbability(random.nextDouble());
        }
        double expected = normal.cumulativeProbability(separation / Math.sqrt(2.0));
        RocCurve roc = RocCurve.of(background, signal);
        // Var(AUC) <= A (1 - A) / min(n_s, n_b) (Birnbaum and Klose 1957): 5 of those sigmas.
        double bound = Math.sqrt(expected * (1.0 - expected) / n);
        assertEquals(expected, roc.auc(), 5.0 * bound);
        // Hanley-McNeil's standard error is below that bound and of its order.
        assertTrue(roc.aucStandardError() < bound && roc.aucStandardError() > bound / 5.0,
                roc.aucStandardError() + " vs " + bound);
    }

    @Test
    void tprAtFprLeavesAtMostThatFractionOfBackgroundAbove() {
        double[] background = new double[10_000];
        for (int i = 0; i < background.length; i++) {
            background[i] = i + 1;
        }
        RocCurve roc = RocCurve.of(background, new double[] {9989, 9990, 9990.5, 9995, 20_000});
        // FPR 1e-3: 10 background scores (9991..10000) lie above the threshold 9990.
        assertEquals(9990.0, roc.thresholdAt(1e-3));
        assertEquals(1e-3, roc.achievedFprAt(1e-3), 1e-15);
        assertEquals(3.0 / 5.0, roc.tprAt(1e-3), 1e-15);
        assertTrue(roc.resolves(1e-3));
        assertFalse(roc.resolves(1e-4), "10,000 background events cannot resolve 1e-4 (10 above needs 100,000)");
        assertEquals(100_000, RocCurve.backgroundNeeded(1e-4));
        assertFalse(RocCurve.of(new double[9999], new double[] {1}).resolves(1e-3));
    }

    @Test
    void tiesAtTheThresholdAreNotAbove() {
        double[] background = new double[1000];
        for (int i = 100; i < background.length; i++) {
            background[i] = 1.0;
        }
        RocCurve roc = RocCurve.of(background, new double[] {0.5, 1.0, 2.0});
        // Half the background may lie above, but 900 tie at 1: the threshold is 1 and nothing lies above it.
        assertEquals(1.0, roc.thresholdAt(0.5));
        assertEquals(0.0, roc.achievedFprAt(0.5));
        assertEquals(1.0 / 3.0, roc.tprAt(0.5), 1e-15);
        assertEquals(1.0, roc.tprAt(1.0));
    }

    @Test
    void curveRisesWithTheFpr() {
        SplittableRandom random = new SplittableRandom(3);
        double[] background = new double[5000];
        double[] signal = new double[500];
        for (int i = 0; i < background.length; i++) {
            background[i] = random.nextDouble();
        }
        for (int i = 0; i < signal.length; i++) {
            signal[i] = 0.5 + random.nextDouble();
        }
        double[][] curve = RocCurve.of(background, signal).curve(100);
        assertTrue(curve[0].length > 50, "points " + curve[0].length);
        for (int i = 1; i < curve[0].length; i++) {
            assertTrue(curve[0][i] > curve[0][i - 1] && curve[1][i] >= curve[1][i - 1], "at " + i);
        }
        assertEquals(1.0, curve[0][curve[0].length - 1]);
        assertArrayEquals(new double[] {1.0, 1.0}, new double[] {curve[1][curve[1].length - 1], 1.0});
    }

    @Test
    void refusesEmptyOrNanScores() {
        assertThrows(IllegalArgumentException.class, () -> RocCurve.of(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> RocCurve.of(new double[] {Double.NaN}, new double[] {1}));
    }
}
