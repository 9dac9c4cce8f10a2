package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DetectorScheduleTest {

    private static final double DURATION = 36_000.0;

    @Test
    void standardScheduleIsDegradedAQuarterOfEachOfEightPeriods() {
        DetectorSchedule schedule = DetectorSchedule.standard(DURATION);
        assertEquals(DURATION / 8, schedule.periodSeconds(), 1e-9);
        int steps = 800_000;
        int[] degradedPerPeriod = new int[8];
        for (int i = 0; i < steps; i++) {
            double t = (i + 0.5) / steps * DURATION;
            if (DetectorSchedule.ECAL_ENDCAP_OUT.equals(schedule.stateAt(t))) {
                degradedPerPeriod[(int) (t / schedule.periodSeconds())]++;
            }
        }
        for (int period = 0; period < 8; period++) {
            assertEquals(0.25, degradedPerPeriod[period] / (steps / 8.0), 1e-4, "period " + period);
        }
    }

    @Test
    void degradedWindowClosesEachPeriod() {
        DetectorSchedule schedule = DetectorSchedule.standard(DURATION);
        double period = schedule.periodSeconds();
        assertEquals(DetectorSchedule.ALL_IN, schedule.stateAt(0.0));
        assertEquals(DetectorSchedule.ALL_IN, schedule.stateAt(0.74 * period));
        assertEquals(DetectorSchedule.ECAL_ENDCAP_OUT, schedule.stateAt(0.76 * period));
        assertEquals(DetectorSchedule.ALL_IN, schedule.stateAt(1.01 * period));
        assertEquals(DetectorSchedule.ECAL_ENDCAP_OUT, schedule.stateAt(7.99 * period));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new DetectorSchedule("A", "A", 10, 0.25));
        assertThrows(IllegalArgumentException.class, () -> new DetectorSchedule(" ", "B", 10, 0.25));
        assertThrows(IllegalArgumentException.class, () -> new DetectorSchedule("A", "B", 0, 0.25));
        assertThrows(IllegalArgumentException.class, () -> new DetectorSchedule("A", "B", 10, 1.5));
    }
}
