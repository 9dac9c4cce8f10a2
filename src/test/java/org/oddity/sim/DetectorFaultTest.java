package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.TriggerObjects;

/**
 * Each fault does what it says. The faulted run is compared event by event with the clean run of the same seed,
 * which it reproduces exactly outside the fault (faults draw from their own random stream).
 */
class DetectorFaultTest {

    private static final long EVENTS = 60_000;
    private static final double DURATION = 1800;
    private static final double START = 600;
    private static final double END = 1200;
    private static final long SEED = 21;
    private static final String FILL = "fills: [{duration: 1800}]\n";

    private static List<CollisionEvent> run(String faults) {
        List<CollisionEvent> out = new ArrayList<>();
        new DaqSimulator(Scenario.parse(FILL + faults).plan(EVENTS), SEED).forEachRemaining(out::add);
        return out;
    }

    private static final List<CollisionEvent> CLEAN = run("");

    private static double timeOf(CollisionEvent event) {
        return (event.getEvent() - 0.5) / EVENTS * DURATION;
    }

    private static boolean inWindow(CollisionEvent event) {
        double t = timeOf(event);
        return t >= START && t < END;
    }

    private static double metX(TriggerObjects o) {
        return o.getMetPt() * Math.cos(o.getMetPhi());
    }

    private static double metY(TriggerObjects o) {
        return o.getMetPt() * Math.sin(o.getMetPhi());
    }

    @Test
    void deadRegionRemovesEveryObjectInsideAndTurnsItsEnergyIntoMissingEnergy() {
        List<CollisionEvent> faulted = run("""
                faults: [{kind: dead-region, start: 600, end: 1200, etaMin: 0, etaMax: 1.5, phiMin: 0.5, phiMax: 2}]
                """);
        DetectorFault.DeadRegion region = new DetectorFault.DeadRegion(START, END, 0, 1.5, 0.5, 2,
                java.util.EnumSet.allOf(ObjectCollection.class));
        long labelled = 0;
        long insideOutsideWindow = 0;
        for (int i = 0; i < EVENTS; i++) {
            CollisionEvent clean = CLEAN.get(i);
            CollisionEvent event = faulted.get(i);
            if (!inWindow(event)) {
                assertEquals(clean, event);
                insideOutsideWindow += inside(region, clean.getObjects());
                continue;
            }
            assertEquals(0, inside(region, event.getObjects()), "event " + event.getEvent());
            double lostX = 0;
            double lostY = 0;
            int lost = 0;
            for (ObjectCollection c : ObjectCollection.values()) {
                for (PhysicsObject o : c.in(clean.getObjects())) {
                    if (region.contains(o.getEta(), o.getPhi())) {
                        lostX += o.getPt() * Math.cos(o.getPhi());
                        lostY += o.getPt() * Math.sin(o.getPhi());
                        lost++;
                    }
                }
                assertEquals(c.in(clean.getObjects()).size() - countInside(region, c.in(clean.getObjects())),
                        c.in(event.getObjects()).size());
            }
            // Only events that lost something are labelled, and their MET is the clean MET plus what was lost.
            assertEquals(lost > 0 ? "fault:dead-region" : null, event.getTruth());
            assertEquals(metX(clean.getObjects()) + lostX, metX(event.getObjects()), 1e-3);
            assertEquals(metY(clean.getObjects()) + lostY, metY(event.getObjects()), 1e-3);
            labelled += lost > 0 ? 1 : 0;
        }
        assertTrue(insideOutsideWindow > 10_000, "the region is populated outside the window");
        // About 6% of the jet acceptance, hit by about 40% of the events.
        assertTrue(labelled > 6_000 && labelled < 10_000, labelled + " of 20,000 events labelled");
    }

    private static int inside(DetectorFault.DeadRegion region, TriggerObjects objects) {
        int n = 0;
        for (ObjectCollection c : ObjectCollection.values()) {
            n += countInside(region, c.in(objects));
        }
        return n;
    }

    private static int countInside(DetectorFault.DeadRegion region, List<PhysicsObject> objects) {
        int n = 0;
        for (PhysicsObject o : objects) {
            n += region.contains(o.getEta(), o.getPhi()) ? 1 : 0;
        }
        return n;
    }

    @Test
    void hotChannelAddsItsObjectAtTheSetPositionExactlyInTheLabelledEvents() {
        List<CollisionEvent> faulted = run("""
                faults: [{kind: hot-channel, start: 600, end: 1200, probability: 0.3, object: egammas,
                          pt: 80, eta: 0.52, phi: -1.83}]
                """);
        long labelled = 0;
        long windowEvents = 0;
        for (int i = 0; i < EVENTS; i++) {
            CollisionEvent clean = CLEAN.get(i);
            CollisionEvent event = faulted.get(i);
            if (!inWindow(event)) {
                assertEquals(clean, event);
                continue;
            }
            windowEvents++;
            List<PhysicsObject> egammas = event.getObjects().getEgammas();
            long hot = egammas.stream().filter(o -> o.getPt() == 80f && o.getEta() == 0.52f && o.getPhi() == -1.83f)
                    .count();
            if (event.getTruth() == null) {
                assertEquals(clean, event);
                continue;
            }
            assertEquals("fault:hot-channel", event.getTruth());
            labelled++;
            assertEquals(1, hot);
            assertEquals(clean.getObjects().getEgammas().size() + 1, egammas.size());
            for (int k = 1; k < egammas.size(); k++) {
                assertTrue(egammas.get(k - 1).getPt() >= egammas.get(k).getPt(), "pt order");
            }
            // The spurious deposit is balanced by fake missing energy in the opposite direction.
            assertEquals(metX(clean.getObjects()) - 80 * Math.cos(-1.83), metX(event.getObjects()), 1e-3);
            assertEquals(metY(clean.getObjects()) - 80 * Math.sin(-1.83), metY(event.getObjects()), 1e-3);
        }
        assertTrue(BinomialInterval.of(windowEvents, 0.3, 1e-6).contains(labelled), labelled + " of " + windowEvents);
    }

    @Test
    void jesDriftScalesJetsLinearlyToTheFactorAndStopsAtTheEndOfTheWindow() {
        List<CollisionEvent> faulted = run("faults: [{kind: jes-drift, start: 600, end: 1200, factor: 0.8}]");
        double cleanLead = 0;
        double driftedLead = 0;
        double before = 0;
        long beforeEvents = 0;
        long endEvents = 0;
        for (int i = 0; i < EVENTS; i++) {
            CollisionEvent clean = CLEAN.get(i);
            CollisionEvent event = faulted.get(i);
            double t = timeOf(event);
            if (!inWindow(event)) {
                assertEquals(clean, event);
                if (t >= START - 60 && t < START) {
                    before += clean.getObjects().getJets().get(0).getPt();
                    beforeEvents++;
                }
                continue;
            }
            assertEquals("fault:jes-drift", event.getTruth());
            double scale = 1.0 - 0.2 * (t - START) / (END - START);
            List<PhysicsObject> cleanJets = clean.getObjects().getJets();
            List<PhysicsObject> jets = event.getObjects().getJets();
            int kept = 0;
            for (PhysicsObject jet : cleanJets) {
                if (scale * jet.getPt() >= 15.0) {
                    assertEquals(scale * jet.getPt(), jets.get(kept).getPt(), 1e-3);
                    assertEquals(jet.getEta(), jets.get(kept).getEta());
                    kept++;
                }
            }
            assertEquals(kept, jets.size());
            if (t >= END - 60 && !jets.isEmpty()) {
                cleanLead += cleanJets.get(0).getPt();
                driftedLead += jets.get(0).getPt();
                endEvents++;
            }
        }
        // In the last minute the scale runs from 0.82 to 0.80, 0.81 on average.
        assertEquals(0.81, driftedLead / cleanLead, 0.002);
        // Against the minute before the window, pileup (45 then, 34 now) moves the leading jet by a few percent too.
        double ratio = (driftedLead / endEvents) / (before / beforeEvents);
        assertTrue(ratio > 0.75 && ratio < 0.85, "leading-jet pt ratio end / before " + ratio);
    }

    @Test
    void noisyMetWidensMissingEnergyByTheSetSigma() {
        List<CollisionEvent> faulted = run("faults: [{kind: noisy-met, start: 600, end: 1200, sigma: 25}]");
        double excess = 0;
        double excessSq = 0;
        double cleanMet = 0;
        double noisyMet = 0;
        long n = 0;
        for (int i = 0; i < EVENTS; i++) {
            CollisionEvent clean = CLEAN.get(i);
            CollisionEvent event = faulted.get(i);
            if (!inWindow(event)) {
                assertEquals(clean, event);
                assertNull(event.getTruth());
                continue;
            }
            assertEquals("fault:noisy-met", event.getTruth());
            assertEquals(clean.getObjects().getJets(), event.getObjects().getJets());
            double a = clean.getObjects().getMetPt();
            double b = event.getObjects().getMetPt();
            excess += b * b - a * a;
            excessSq += (b * b - a * a) * (b * b - a * a);
            cleanMet += a;
            noisyMet += b;
            n++;
        }
        // An independent 2D Gaussian of sigma per component adds 2 sigma^2 = 1250 GeV^2 to E[MET^2].
        double mean = excess / n;
        double standardError = Math.sqrt((excessSq / n - mean * mean) / n);
        assertEquals(1250.0, mean, 4 * standardError);
        assertTrue(noisyMet / n > cleanMet / n + 12, "mean MET " + cleanMet / n + " -> " + noisyMet / n);
    }
}
