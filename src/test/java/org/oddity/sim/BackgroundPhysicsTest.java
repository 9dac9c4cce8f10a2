package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.TriggerObjects;

/** The simulated background against the reference table of docs/reference.md, per pileup bin and detector state. */
class BackgroundPhysicsTest {

    private static final double DURATION = 36_000.0;
    private static final int EVENTS = 400_000;

    /** docs/reference.md reference table, bins 20-29, 30-39, 40-49, 50-60. */
    private static final double[] REF_JETS = {2.54, 3.17, 3.89, 4.68};
    private static final double[] REF_MET = {18.8, 21.8, 24.2, 26.7};
    private static final double[] REF_MUON_FRACTION = {0.027, 0.039, 0.042, 0.048};
    private static final double[] REF_EGAMMA = {1.39, 1.93, 2.45, 2.97};
    private static final double REF_LEADING_JET_PT = 31.0;

    /*
     * Tolerance = 4 standard errors of the simulated mean (the simulation's own noise, a 1-in-16000 miss per
     * comparison) + a relative modelling allowance for describing a generator sample with linear rates in
     * pileup. 8% covers jets, MET and e/gamma, whose table columns are close to linear (the fits miss by <= 5%).
     * The muon column is not linear (+1.2 points from the first bin to the second, +0.3 to the third: the
     * reference's rarest quantity carries its own sampling noise), so the best line misses by up to 11% in the
     * nominal-state events; it gets 12%.
     */
    private static final double STANDARD_ERRORS = 4.0;
    private static final double ALLOWANCE = 0.08;
    private static final double MUON_ALLOWANCE = 0.12;

    private static final Moments[][] BY_BIN_AND_STATE = new Moments[4][2];
    private static final Moments ALL = new Moments();
    private static int endcapEgammasWhenOut;
    private static long nominalEgammas;
    private static long nominalEndcapEgammas;

    /** Running sums for one (pileup bin, detector state) cell. */
    private static final class Moments {
        long n;
        double jets;
        double jetsSq;
        double met;
        double metSq;
        long withMuon;
        double egammas;
        double egammasSq;
        double leadingJetPt;
        double leadingJetPtSq;
        double metSqMinusNominalWidth;
        double metSqMinusNominalWidthSq;

        void add(double pileup, TriggerObjects objects) {
            n++;
            int nJets = objects.getJets().size();
            jets += nJets;
            jetsSq += (double) nJets * nJets;
            double metPt = objects.getMetPt();
            met += metPt;
            metSq += metPt * metPt;
            withMuon += objects.getMuons().isEmpty() ? 0 : 1;
            int nEgammas = objects.getEgammas().size();
            egammas += nEgammas;
            egammasSq += (double) nEgammas * nEgammas;
            double lead = objects.getJets().get(0).getPt();
            leadingJetPt += lead;
            leadingJetPtSq += lead * lead;
            // E|MET|^2 = 2 sigma^2 for a 2D Gaussian: this residual isolates any extra width.
            double excess = metPt * metPt - 2.0 * BackgroundPhysics.metVariance(pileup, false);
            metSqMinusNominalWidth += excess;
            metSqMinusNominalWidthSq += excess * excess;
        }

        static double mean(double sum, long n) {
            return sum / n;
        }

        static double standardError(double sum, double sumSq, long n) {
            double mean = sum / n;
            return Math.sqrt(Math.max(0.0, sumSq / n - mean * mean) / n);
        }
    }

    @BeforeAll
    static void simulateStandardFill() {
        for (Moments[] row : BY_BIN_AND_STATE) {
            for (int s = 0; s < row.length; s++) {
                row[s] = new Moments();
            }
        }
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(EVENTS, DURATION), 20_260_101L);
        while (simulator.hasNext()) {
            CollisionEvent event = simulator.next();
            double pileup = event.getConditions().getPileup();
            boolean out = DetectorSchedule.ECAL_ENDCAP_OUT.equals(event.getConditions().getDetectorState());
            TriggerObjects objects = event.getObjects();
            BY_BIN_AND_STATE[binOf(pileup)][out ? 1 : 0].add(pileup, objects);
            ALL.add(pileup, objects);
            for (PhysicsObject egamma : objects.getEgammas()) {
                boolean endcap = Math.abs(egamma.getEta()) > BackgroundPhysics.ECAL_BARREL_ETA_MAX;
                if (out && endcap) {
                    endcapEgammasWhenOut++;
                }
                if (!out) {
                    nominalEgammas++;
                    nominalEndcapEgammas += endcap ? 1 : 0;
                }
            }
        }
    }

    private static int binOf(double pileup) {
        return pileup < 30 ? 0 : pileup < 40 ? 1 : pileup < 50 ? 2 : 3;
    }

    private static void assertNear(double reference, double simulated, double standardError, double allowance,
            String what) {
        double tolerance = STANDARD_ERRORS * standardError + allowance * reference;
        assertTrue(Math.abs(simulated - reference) <= tolerance,
                String.format("%s: simulated %.4f, reference %.4f, tolerance %.4f", what, simulated, reference,
                        tolerance));
    }

    /** The reference sample has the whole detector in, so it is compared with the nominal-state events. */
    @Test
    void nominalStateMatchesReferenceTablePerPileupBin() {
        for (int bin = 0; bin < 4; bin++) {
            Moments m = BY_BIN_AND_STATE[bin][0];
            String where = " in pileup bin " + bin;
            assertNear(REF_JETS[bin], Moments.mean(m.jets, m.n), Moments.standardError(m.jets, m.jetsSq, m.n),
                    ALLOWANCE, "mean jets" + where);
            assertNear(REF_MET[bin], Moments.mean(m.met, m.n), Moments.standardError(m.met, m.metSq, m.n),
                    ALLOWANCE, "mean MET" + where);
            double muonFraction = (double) m.withMuon / m.n;
            assertNear(REF_MUON_FRACTION[bin], muonFraction, Math.sqrt(muonFraction * (1 - muonFraction) / m.n),
                    MUON_ALLOWANCE, "fraction with a muon" + where);
            assertNear(REF_EGAMMA[bin], Moments.mean(m.egammas, m.n),
                    Moments.standardError(m.egammas, m.egammasSq, m.n), ALLOWANCE, "mean e/gamma" + where);
        }
    }

    @Test
    void meanLeadingJetPtMatchesReference() {
        assertNear(REF_LEADING_JET_PT, Moments.mean(ALL.leadingJetPt, ALL.n),
                Moments.standardError(ALL.leadingJetPt, ALL.leadingJetPtSq, ALL.n), ALLOWANCE, "leading-jet pt");
    }

    /** What the conformal calibration has to undo: the background grows with pileup. */
    @Test
    void busierEventsAtHigherPileup() {
        for (int bin = 1; bin < 4; bin++) {
            Moments lower = BY_BIN_AND_STATE[bin - 1][0];
            Moments higher = BY_BIN_AND_STATE[bin][0];
            assertTrue(higher.jets / higher.n > lower.jets / lower.n + 0.4, "jets rise into bin " + bin);
            assertTrue(higher.met / higher.n > lower.met / lower.n + 1.5, "MET rises into bin " + bin);
            assertTrue(higher.egammas / higher.n > lower.egammas / lower.n + 0.3, "e/gamma rise into bin " + bin);
        }
    }

    @Test
    void endcapOutRemovesEndcapEgammasAndWidensMet() {
        assertEquals(0, endcapEgammasWhenOut);
        // e/gamma are flat in |eta| < 2.5, so 1 - 1.479 / 2.5 = 40.8% of them sit in the endcaps.
        double endcapShare = (double) nominalEndcapEgammas / nominalEgammas;
        assertEquals(1.0 - 1.479 / 2.5, endcapShare, 4 * Math.sqrt(0.25 / nominalEgammas));
        for (int state = 0; state < 2; state++) {
            Moments m = sumOverBins(state);
            // 2 x 60 GeV^2 of extra per-component variance when the endcaps are out, none otherwise.
            double expected = state == 1 ? 120.0 : 0.0;
            assertEquals(expected, Moments.mean(m.metSqMinusNominalWidth, m.n),
                    STANDARD_ERRORS * Moments.standardError(m.metSqMinusNominalWidth, m.metSqMinusNominalWidthSq, m.n),
                    "MET^2 excess in state " + state);
        }
    }

    @Test
    void degradedStateOccursInEveryPileupBin() {
        for (int bin = 0; bin < 4; bin++) {
            long out = BY_BIN_AND_STATE[bin][1].n;
            long total = out + BY_BIN_AND_STATE[bin][0].n;
            // The standard schedule gives 15% (50-60) to 30% (25-30) depending on how windows fall in the bin.
            assertTrue(out > 0.1 * total, "bin " + bin + " has " + out + " of " + total + " events degraded");
        }
        long out = sumOverBins(1).n;
        assertEquals(0.25, (double) out / EVENTS, 1e-3);
    }

    private static Moments sumOverBins(int state) {
        Moments sum = new Moments();
        for (Moments[] row : BY_BIN_AND_STATE) {
            Moments m = row[state];
            sum.n += m.n;
            sum.metSqMinusNominalWidth += m.metSqMinusNominalWidth;
            sum.metSqMinusNominalWidthSq += m.metSqMinusNominalWidthSq;
        }
        return sum;
    }

    /** A small live stream and a 10x calibration sample, other seed, see the same pileup inside a bin. */
    @Test
    void pileupInsideABinIsExchangeableAcrossEventCountsAndSeeds() {
        double[] live = pileupsIn(40, 50, 20_000, 1);
        double[] calibration = pileupsIn(40, 50, 200_000, 2);
        assertEquals(0.2549, live.length / 20_000.0, 1e-3);
        assertEquals(0.2549, calibration.length / 200_000.0, 1e-3);
        assertEquals(mean(calibration), mean(live), 0.1);
        Arrays.sort(live);
        Arrays.sort(calibration);
        for (double q : new double[] {0.1, 0.25, 0.5, 0.75, 0.9}) {
            assertEquals(quantile(calibration, q), quantile(live, q), 0.1, "quantile " + q);
        }
    }

    private static double[] pileupsIn(double low, double high, long events, long seed) {
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(events, DURATION), seed);
        double[] pileups = new double[(int) events];
        int count = 0;
        while (simulator.hasNext()) {
            double pileup = simulator.next().getConditions().getPileup();
            if (pileup >= low && pileup < high) {
                pileups[count++] = pileup;
            }
        }
        return Arrays.copyOf(pileups, count);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) (q * (sorted.length - 1))];
    }
}
