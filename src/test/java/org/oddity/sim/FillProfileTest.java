package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FillProfileTest {

    private static final double DURATION = 36_000.0;

    @Test
    void standardFillRunsFromSixtyToTwentyFivePileup() {
        FillProfile fill = FillProfile.standard(DURATION);
        assertEquals(60.0, fill.pileupAt(0.0), 1e-12);
        assertEquals(25.0, fill.pileupAt(DURATION), 1e-9);
        assertEquals(2.0, fill.lumiAt(0.0), 1e-12);
        // Exponential decay: halfway in time the pileup is the geometric mean of the ends.
        assertEquals(Math.sqrt(60.0 * 25.0), fill.pileupAt(DURATION / 2), 1e-9);
    }

    @Test
    void pileupFallsMonotonicallyAndStaysProportionalToLumi() {
        FillProfile fill = FillProfile.standard(DURATION);
        double previous = Double.POSITIVE_INFINITY;
        for (int step = 0; step <= 1000; step++) {
            double t = step * DURATION / 1000;
            double pileup = fill.pileupAt(t);
            assertTrue(pileup < previous, "pileup must fall at t=" + t);
            assertEquals(30.0, pileup / fill.lumiAt(t), 1e-9);
            previous = pileup;
        }
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new FillProfile(20, 25, 2, 100));
        assertThrows(IllegalArgumentException.class, () -> new FillProfile(60, 0, 2, 100));
        assertThrows(IllegalArgumentException.class, () -> new FillProfile(60, 25, -1, 100));
        assertThrows(IllegalArgumentException.class, () -> new FillProfile(60, 25, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new FillProfile(Double.NaN, 25, 2, 100));
    }
}
