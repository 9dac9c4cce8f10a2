package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.TriggerObjects;

/**
 * Signal events differ from background the way physics says. Each kind is injected into half the events of a
 * whole fill, so signal and background share the same pileup and detector-state distribution.
 */
class SignalPhysicsTest {

    private static final long EVENTS = 60_000;

    /** The events of a half-signal run, split into [background, signal]. */
    private static List<List<TriggerObjects>> halfSignal(String kind, String extra) {
        SimulationPlan plan = Scenario.parse("""
                fills: [{duration: 3600}]
                signals: [{kind: %s, probability: 0.5%s}]
                """.formatted(kind, extra)).plan(EVENTS);
        List<List<TriggerObjects>> split = List.of(new ArrayList<>(), new ArrayList<>());
        DaqSimulator simulator = new DaqSimulator(plan, 4);
        while (simulator.hasNext()) {
            CollisionEvent event = simulator.next();
            split.get(event.getTruth() == null ? 0 : 1).add(event.getObjects());
            assertWellFormed(event.getObjects());
        }
        assertTrue(split.get(1).size() > 0.49 * EVENTS && split.get(1).size() < 0.51 * EVENTS);
        return split;
    }

    private static void assertWellFormed(TriggerObjects objects) {
        for (ObjectCollection c : ObjectCollection.values()) {
            List<PhysicsObject> list = c.in(objects);
            assertTrue(list.size() <= c.maxStored());
            float previous = Float.POSITIVE_INFINITY;
            for (PhysicsObject o : list) {
                assertTrue(o.getPt() <= previous && c.accepts(o.getPt(), o.getEta()), c + " " + o);
                assertTrue(Math.abs(o.getPhi()) <= (float) Math.PI, c + " " + o);
                previous = o.getPt();
            }
        }
        assertTrue(objects.getMetPt() >= 0 && Float.isFinite(objects.getMetPt()));
    }

    private static double mean(List<TriggerObjects> events, ToDoubleFunction<TriggerObjects> feature) {
        return events.stream().mapToDouble(feature).average().orElseThrow();
    }

    private static long count(List<PhysicsObject> objects, double ptAbove) {
        return objects.stream().filter(o -> o.getPt() > ptAbove).count();
    }

    private static long leptons(TriggerObjects o, double ptAbove) {
        return count(o.getEgammas(), ptAbove) + count(o.getMuons(), ptAbove);
    }

    /** Most A events show three or more hard leptons, and muon pairs that QCD background almost never has. */
    @Test
    void fourLeptonEventsHaveSeveralHardLeptons() {
        List<List<TriggerObjects>> events = halfSignal("A_4l", "");
        double signal = mean(events.get(1), o -> leptons(o, 5) >= 3 ? 1 : 0);
        double background = mean(events.get(0), o -> leptons(o, 5) >= 3 ? 1 : 0);
        assertTrue(signal > 0.6 && background < 0.25, ">= 3 leptons above 5 GeV: " + signal + " vs " + background);
        double muonPairs = mean(events.get(1), o -> o.getMuons().size() >= 2 ? 1 : 0);
        double backgroundPairs = mean(events.get(0), o -> o.getMuons().size() >= 2 ? 1 : 0);
        assertTrue(muonPairs > 0.35 && backgroundPairs < 0.01, ">= 2 muons: " + muonPairs + " vs " + backgroundPairs);
    }

    /** With all four leptons measured (and no pileup e/gamma among them) they rebuild m_A within resolution. */
    @Test
    void fourLeptonMassPeaksAtTheScalarMass() {
        double[] masses = halfSignal("A_4l", ", mass: 50").get(1).stream()
                .filter(o -> o.getMuons().size() == 4)
                .mapToDouble(o -> invariantMass(o.getMuons()))
                .sorted().toArray();
        assertTrue(masses.length > 500, masses.length + " four-muon events");
        // L1 muon pt resolution of 15% per muon: about 8% on the four-body mass.
        assertEquals(50.0, quantile(masses, 0.5), 2.0);
        assertTrue(quantile(masses, 0.25) > 44 && quantile(masses, 0.75) < 56,
                "quartiles " + quantile(masses, 0.25) + ", " + quantile(masses, 0.75));
    }

    @Test
    void dijetMassPeaksAtTheResonanceMass() {
        List<List<TriggerObjects>> events = halfSignal("dijet", ", mass: 1500, width: 0.03");
        double[] signal = dijetMasses(events.get(1));
        double[] background = dijetMasses(events.get(0));
        // 3% natural width and about 8% from two 10%-resolution jets, and the recoil jet now and then leading.
        assertEquals(1500.0, quantile(signal, 0.5), 30.0);
        assertTrue(quantile(signal, 0.1) > 1275 && quantile(signal, 0.9) < 1725,
                "10%-90% " + quantile(signal, 0.1) + " - " + quantile(signal, 0.9));
        assertTrue(quantile(background, 0.99) < 800, "background 99% quantile " + quantile(background, 0.99));
    }

    /** A b jet and a tau: more hard taus, and the tau's neutrinos add missing energy. */
    @Test
    void leptoquarkEventsHaveHardTausAndMissingEnergy() {
        List<List<TriggerObjects>> events = halfSignal("LQ_btau", "");
        double signalTaus = mean(events.get(1), o -> count(o.getTaus(), 20));
        double backgroundTaus = mean(events.get(0), o -> count(o.getTaus(), 20));
        assertTrue(signalTaus > 1.5 * backgroundTaus, "taus above 20 GeV: " + signalTaus + " vs " + backgroundTaus);
        double signalMet = mean(events.get(1), TriggerObjects::getMetPt);
        double backgroundMet = mean(events.get(0), TriggerObjects::getMetPt);
        assertTrue(signalMet > backgroundMet + 4, "MET " + signalMet + " vs " + backgroundMet);
    }

    @Test
    void tauPairEventsHaveTwiceTheHardTaus() {
        List<List<TriggerObjects>> events = halfSignal("h0_tautau", "");
        double signalTaus = mean(events.get(1), o -> count(o.getTaus(), 20));
        double backgroundTaus = mean(events.get(0), o -> count(o.getTaus(), 20));
        assertTrue(signalTaus > 1.8 * backgroundTaus, "taus above 20 GeV: " + signalTaus + " vs " + backgroundTaus);
    }

    /** The charged scalar's neutrino carries about a quarter of its mass in pt, straight into missing energy. */
    @Test
    void chargedHiggsEventsHaveMissingEnergy() {
        List<List<TriggerObjects>> events = halfSignal("hpm_taunu", "");
        double signalMet = mean(events.get(1), TriggerObjects::getMetPt);
        double backgroundMet = mean(events.get(0), TriggerObjects::getMetPt);
        assertTrue(signalMet > backgroundMet + 6, "MET " + signalMet + " vs " + backgroundMet);
        double signalTail = mean(events.get(1), o -> o.getMetPt() > 40 ? 1 : 0);
        double backgroundTail = mean(events.get(0), o -> o.getMetPt() > 40 ? 1 : 0);
        assertTrue(signalTail > 2 * backgroundTail, "MET > 40 GeV: " + signalTail + " vs " + backgroundTail);
    }

    @Test
    void boostsPreserveMassAndCarryTheFrameMomentum() {
        LorentzVector frame = LorentzVector.fromPtRapidityPhi(40, 1.3, 0.7, 60);
        assertEquals(60.0, frame.mass(), 1e-9);
        LorentzVector atRest = new LorentzVector(0, 0, 0, 5);
        LorentzVector moved = atRest.boostedOutOf(frame);
        assertEquals(5.0, moved.mass(), 1e-9);
        assertEquals(frame.px() * 5 / 60, moved.px(), 1e-9);
        assertEquals(frame.pz() * 5 / 60, moved.pz(), 1e-9);
        assertEquals(frame.eta(), moved.eta(), 1e-9);
        LorentzVector daughter = new LorentzVector(3, -4, 12, Math.sqrt(9 + 16 + 144 + 1.5 * 1.5));
        assertEquals(1.5, daughter.boostedOutOf(frame).mass(), 1e-9);
        assertEquals(40.0, frame.pt(), 1e-12);
        assertEquals(0.7, frame.phi(), 1e-12);
    }

    @Test
    void twoBodyMomentumMatchesKnownDecays() {
        // Z to mu mu: p* = sqrt(m_Z^2 / 4 - m_mu^2).
        assertEquals(Math.sqrt(91.1876 * 91.1876 / 4 - 0.10566 * 0.10566),
                SignalPhysics.twoBodyMomentum(91.1876, 0.10566, 0.10566), 1e-9);
        // tau to pi nu: p* = (m_tau^2 - m_pi^2) / (2 m_tau).
        assertEquals((1.77686 * 1.77686 - 0.13957 * 0.13957) / (2 * 1.77686),
                SignalPhysics.twoBodyMomentum(1.77686, 0.13957, 0.0), 1e-12);
        assertEquals(0.0, SignalPhysics.twoBodyMomentum(10, 6, 5));
    }

    private static double invariantMass(List<PhysicsObject> objects) {
        double e = 0;
        double px = 0;
        double py = 0;
        double pz = 0;
        for (PhysicsObject o : objects) {
            px += o.getPt() * Math.cos(o.getPhi());
            py += o.getPt() * Math.sin(o.getPhi());
            pz += o.getPt() * Math.sinh(o.getEta());
            e += o.getPt() * Math.cosh(o.getEta());
        }
        return Math.sqrt(Math.max(0, e * e - px * px - py * py - pz * pz));
    }

    /** m_jj of the two leading jets, massless: m^2 = 2 pt1 pt2 (cosh(d eta) - cos(d phi)). */
    private static double[] dijetMasses(List<TriggerObjects> events) {
        return events.stream().filter(o -> o.getJets().size() >= 2).mapToDouble(o -> {
            PhysicsObject a = o.getJets().get(0);
            PhysicsObject b = o.getJets().get(1);
            return Math.sqrt(2.0 * a.getPt() * b.getPt()
                    * (Math.cosh(a.getEta() - b.getEta()) - Math.cos(a.getPhi() - b.getPhi())));
        }).sorted().toArray();
    }

    /** The q-quantile of an ascending array. */
    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
