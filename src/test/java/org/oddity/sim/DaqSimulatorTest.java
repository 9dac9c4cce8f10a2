package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.TriggerObjects;

class DaqSimulatorTest {

    private static final double DURATION = 36_000.0;

    private static List<CollisionEvent> first(int count, long events, long seed) {
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(events, DURATION), seed);
        List<CollisionEvent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(simulator.next());
        }
        return out;
    }

    @Test
    void sameSeedGivesIdenticalEvents() {
        assertEquals(first(1000, 50_000, 7), first(1000, 50_000, 7));
    }

    @Test
    void differentSeedsGiveDifferentObjectsAtTheSameConditions() {
        List<CollisionEvent> a = first(1000, 50_000, 7);
        List<CollisionEvent> b = first(1000, 50_000, 8);
        int sameObjects = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getConditions(), b.get(i).getConditions());
            if (a.get(i).getObjects().equals(b.get(i).getObjects())) {
                sameObjects++;
            }
        }
        assertEquals(0, sameObjects);
    }

    @Test
    void eventsSitAtSliceMidpointsWithRunAndEventNumbers() {
        long n = 10_000;
        SimulationPlan plan = SimulationPlan.standard(n, DURATION);
        DaqSimulator simulator = new DaqSimulator(plan, 1);
        for (long i = 0; i < n; i++) {
            CollisionEvent event = simulator.next();
            double t = (i + 0.5) / n * DURATION;
            assertEquals(plan.run(), event.getRun());
            assertEquals(i + 1, event.getEvent());
            assertEquals(plan.startNanos() + Math.round(t * 1e9), event.getTimestampNanos());
            assertEquals((float) plan.lumiAt(t), event.getConditions().getInstLumi());
            assertEquals(plan.detector().stateAt(t), event.getConditions().getDetectorState());
        }
        assertFalse(simulator.hasNext());
        assertThrows(NoSuchElementException.class, simulator::next);
    }

    @Test
    void pileupFallsMonotonicallyFromSixtyToTwentyFive() {
        long n = 100_000;
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(n, DURATION), 1);
        float previous = Float.POSITIVE_INFINITY;
        float firstPileup = Float.NaN;
        float lastPileup = Float.NaN;
        while (simulator.hasNext()) {
            float pileup = simulator.next().getConditions().getPileup();
            // Float rounding can make neighbours equal, never increasing.
            assertTrue(pileup <= previous);
            if (Float.isNaN(firstPileup)) {
                firstPileup = pileup;
            }
            lastPileup = pileup;
            previous = pileup;
        }
        assertEquals(60.0, firstPileup, 0.01);
        assertEquals(25.0, lastPileup, 0.01);
    }

    @Test
    void lumisectionAdvancesEvery2331SecondsOfEventTime() {
        long n = 200_000;
        SimulationPlan plan = SimulationPlan.standard(n, DURATION);
        DaqSimulator simulator = new DaqSimulator(plan, 1);
        int previousLumisection = 1;
        int advances = 0;
        while (simulator.hasNext()) {
            CollisionEvent event = simulator.next();
            // The documented placement, not the timestamp: nanosecond rounding can cross a boundary.
            double t = (event.getEvent() - 0.5) / n * DURATION;
            int lumisection = event.getLumisection();
            assertEquals(1 + (int) Math.floor(t / 23.31), lumisection, "t=" + t);
            if (lumisection != previousLumisection) {
                assertEquals(previousLumisection + 1, lumisection, "advance at t=" + t);
                advances++;
            }
            previousLumisection = lumisection;
        }
        // 36000 s / 23.31 s = 1544.4: lumisections 1 .. 1545.
        assertEquals(1544, advances);
        assertEquals(1545, previousLumisection);
    }

    @Test
    void eventContentIsWellFormed() {
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(50_000, DURATION), 3);
        long bunchCrossingSum = 0;
        int events = 0;
        while (simulator.hasNext()) {
            CollisionEvent event = simulator.next();
            events++;
            int bx = event.getBunchCrossing();
            assertTrue(bx >= 1 && bx <= 3564, "bunch crossing " + bx);
            bunchCrossingSum += bx;
            assertNull(event.getFeatures());
            assertNull(event.getTruth());
            assertTrue(event.getConditions().getExtra().isEmpty());
            TriggerObjects objects = event.getObjects();
            assertTrue(objects.getMetPt() >= 0 && Math.abs(objects.getMetPhi()) <= (float) Math.PI);
            assertTrue(objects.getJets().size() >= 1 && objects.getJets().size() <= 12);
            assertPtOrderedWithin(objects.getJets(), 15.0, 3.0);
            assertPtOrderedWithin(objects.getEgammas(), 3.0, 2.5);
            assertPtOrderedWithin(objects.getMuons(), 3.0, 2.4);
            assertPtOrderedWithin(objects.getTaus(), 10.0, 2.3);
        }
        // Uniform on 1..3564: mean 1782.5, standard deviation 1029 / sqrt(50000) = 4.6 on the sample mean.
        assertEquals(1782.5, (double) bunchCrossingSum / events, 20.0);
    }

    private static void assertPtOrderedWithin(List<PhysicsObject> objects, double minPt, double maxAbsEta) {
        float previous = Float.POSITIVE_INFINITY;
        for (PhysicsObject object : objects) {
            assertTrue(object.getPt() <= previous, "pt order");
            assertTrue(object.getPt() >= minPt, "pt " + object.getPt());
            assertTrue(Math.abs(object.getEta()) <= maxAbsEta, "eta " + object.getEta());
            assertTrue(Math.abs(object.getPhi()) <= (float) Math.PI, "phi " + object.getPhi());
            previous = object.getPt();
        }
    }

    @Test
    void fillsRunBackToBackWithTheirOwnPileup() {
        SimulationPlan plan = new SimulationPlan(30_000, 7, 0L,
                List.of(new FillProfile(60, 25, 2.0, 1000), new FillProfile(40, 20, 1.2, 2000)),
                DetectorSchedule.standard(3000), List.of(), List.of());
        assertEquals(3000.0, plan.durationSeconds());
        DaqSimulator simulator = new DaqSimulator(plan, 1);
        for (long i = 0; i < 30_000; i++) {
            CollisionEvent event = simulator.next();
            double t = (i + 0.5) / 30_000 * 3000;
            FillProfile fill = plan.fills().get(t < 1000 ? 0 : 1);
            double intoFill = t < 1000 ? t : t - 1000;
            assertEquals((float) fill.pileupAt(intoFill), event.getConditions().getPileup());
            assertEquals((float) fill.lumiAt(intoFill), event.getConditions().getInstLumi());
            assertEquals(t < 1000 ? 0 : 1, plan.fillIndexAt(t));
        }
        assertEquals(1000.0, plan.fillStart(1));
    }

    @Test
    void emptyPlanHasNoEvents() {
        assertFalse(new DaqSimulator(SimulationPlan.standard(0, DURATION), 1).hasNext());
    }
}
