package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Working points: sorted loosest first whatever the input order, the tightest point a p-value
 * passes (boundaries inclusive), the minimum calibration size n >= 1/alpha - 1 that makes alpha
 * reachable, and refusal of duplicate or out-of-range points.
 */
class WorkingPointsTest {

    private static final WorkingPoints DEFAULTS = new WorkingPoints(List.of(
            new WorkingPoint("tight", 1e-4), new WorkingPoint("loose", 1e-2), new WorkingPoint("medium", 1e-3)));

    @Test
    void pointsAreOrderedLoosestFirst() {
        assertEquals(List.of("loose", "medium", "tight"),
                DEFAULTS.loosestFirst().stream().map(WorkingPoint::name).toList());
        assertEquals(new WorkingPoint("loose", 1e-2), DEFAULTS.loosest());
        assertEquals(new WorkingPoint("tight", 1e-4), DEFAULTS.tightest());
        assertThrows(UnsupportedOperationException.class,
                () -> DEFAULTS.loosestFirst().add(new WorkingPoint("x", 0.5)));
    }

    @Test
    void tightestPassedAtTheBoundaries() {
        assertEquals(-1, DEFAULTS.tightestPassed(0.5));
        assertEquals(-1, DEFAULTS.tightestPassed(Math.nextUp(1e-2)));
        assertEquals(0, DEFAULTS.tightestPassed(1e-2));
        assertEquals(0, DEFAULTS.tightestPassed(0.005));
        assertEquals(0, DEFAULTS.tightestPassed(Math.nextUp(1e-3)));
        assertEquals(1, DEFAULTS.tightestPassed(1e-3));
        assertEquals(1, DEFAULTS.tightestPassed(Math.nextUp(1e-4)));
        assertEquals(2, DEFAULTS.tightestPassed(1e-4));
        assertEquals(2, DEFAULTS.tightestPassed(1e-9));
        assertEquals(2, DEFAULTS.tightestPassed(0.0));
        assertEquals(-1, DEFAULTS.tightestPassed(Double.NaN));
        // The smallest p of n = 9999 scores, 1/10000, passes tight.
        assertEquals(2, DEFAULTS.tightestPassed(CalibrationSet.of(new double[9_999]).minimumPValue()));
        assertEquals(1, DEFAULTS.tightestPassed(CalibrationSet.of(new double[9_998]).minimumPValue()));
    }

    @Test
    void minimumCalibrationSizes() {
        assertEquals(99, WorkingPoints.minimumCalibrationSize(0.01));
        assertEquals(999, WorkingPoints.minimumCalibrationSize(1e-3));
        assertEquals(9_999, WorkingPoints.minimumCalibrationSize(1e-4));
        assertEquals(99_999, WorkingPoints.minimumCalibrationSize(1e-5));
        assertEquals(19, WorkingPoints.minimumCalibrationSize(0.05));
        assertEquals(3, WorkingPoints.minimumCalibrationSize(0.3));
        assertEquals(1, WorkingPoints.minimumCalibrationSize(0.5));
        assertEquals(1, WorkingPoints.minimumCalibrationSize(0.9));
    }

    @Test
    void minimumCalibrationSizeIsTheSmallestSetThatReachesEveryDecimalAlpha() {
        // For alpha = k * 10^-e, n = minimumCalibrationSize(alpha) reaches alpha with CalibrationSet's own
        // arithmetic and n - 1 does not.
        int checked = 0;
        for (int e = 1; e <= 6; e++) {
            for (int k = 1; k <= 99; k++) {
                double alpha = Double.parseDouble(k + "e-" + e);
                if (alpha >= 1.0) {
                    continue;
                }
                int n = WorkingPoints.minimumCalibrationSize(alpha);
                assertTrue(CalibrationSet.of(new double[n]).minimumPValue() <= alpha, "alpha " + alpha + " n " + n);
                assertTrue(1.0 / n > alpha, "alpha " + alpha + ": n - 1 = " + (n - 1) + " would do");
                checked++;
            }
        }
        assertEquals(5 * 99 + 9, checked);
    }

    @Test
    void minimumCalibrationSizeReachesAlphaJustBelowOneOverNPlusOne() {
        // KNOWN BUG (WorkingPoints.minimumCalibrationSize, 1e-9 slack): for alpha a hair below 1/(n+1) the method
        // returns n, whose smallest p-value 1/(n+1) is above alpha, so the tightest working point is unreachable
        // in a cell of exactly that size. alpha = 0.3333333333 needs n = 3 (1/4 <= alpha); 2 gives 1/3 > alpha.
        double alpha = 0.3333333333;
        int n = WorkingPoints.minimumCalibrationSize(alpha);
        assertTrue(CalibrationSet.of(new double[n]).minimumPValue() <= alpha,
                "minimumCalibrationSize(" + alpha + ") = " + n + " but 1/(n+1) = " + 1.0 / (n + 1) + " > alpha;"
                        + " expected 3");
        double justBelow = Math.nextDown(0.01);
        int m = WorkingPoints.minimumCalibrationSize(justBelow);
        assertTrue(CalibrationSet.of(new double[m]).minimumPValue() <= justBelow,
                "minimumCalibrationSize(" + justBelow + ") = " + m + "; expected 100");
    }

    @Test
    void duplicateAndInvalidPointsAreRefused() {
        IllegalArgumentException sameAlpha = assertThrows(IllegalArgumentException.class, () -> new WorkingPoints(
                List.of(new WorkingPoint("a", 0.01), new WorkingPoint("b", 0.01))));
        assertTrue(sameAlpha.getMessage().contains("0.01"), sameAlpha.getMessage());
        IllegalArgumentException sameName = assertThrows(IllegalArgumentException.class, () -> new WorkingPoints(
                List.of(new WorkingPoint("a", 0.01), new WorkingPoint("a", 0.001))));
        assertTrue(sameName.getMessage().contains("names"), sameName.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WorkingPoints(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new WorkingPoint("x", 0.0));
        assertThrows(IllegalArgumentException.class, () -> new WorkingPoint("x", 1.0));
        assertThrows(IllegalArgumentException.class, () -> new WorkingPoint("x", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new WorkingPoint(" ", 0.1));
        assertThrows(IllegalArgumentException.class, () -> new WorkingPoint(null, 0.1));
    }
}
