package org.oddity.sim;

import org.oddity.avro.TriggerObjects;

/**
 * QCD multijet background with pileup at trigger-object level: hard-scatter jets that do not depend on pileup,
 * plus pileup jets, e/gamma, muons, taus and missing-energy resolution that grow linearly with it.
 */
final class BackgroundPhysics {

    /*
     * All tunable constants live here. Targets: the reference table of docs/reference.md ("The simulated
     * background's target"), a Pythia 6 QCD sample with real minimum-bias pileup overlaid:
     *
     *   pileup  mean jets  mean MET (GeV)  >= 1 muon  mean e/gamma
     *   20-29   2.54       18.8            2.7%       1.39
     *   30-39   3.17       21.8            3.9%       1.93
     *   40-49   3.89       24.2            4.2%       2.45
     *   50-60   4.68       26.7            4.8%       2.97
     *   mean leading-jet pt about 31 GeV.
     *
     * Every pileup-dependent mean is linear in mu and fitted at the mean pileup each bin has in the standard
     * 60 -> 25 fill: pileup decays exponentially, so the time spent per unit pileup is proportional to 1/mu and
     * the bin means are (b - a) / ln(b / a) = 27.4, 34.8, 44.8, 54.8 (the 20-29 bin only reaches down to 25).
     * Jets, MET and e/gamma are least-squares fits; the muon column is not linear in pileup (+1.2 points from
     * the first bin to the second, +0.3 to the third), so its line minimises the largest relative miss (8.9%).
     * A line that goes negative at low pileup means zero objects: RandomVariates.poisson floors the mean at 0.
     * The reference had the whole detector in, so these fits describe ALL_IN; ECAL_ENDCAP_OUT acts on top.
     */

    /** Hard scatter: 1 + Bernoulli + Poisson jets in acceptance, 2.05 on average, independent of pileup. */
    private static final double SECOND_JET_PROBABILITY = 0.75;
    private static final double RADIATION_JETS_MEAN = 0.3;
    /**
     * Pt-hat threshold of the reference sample. Index 6.2 puts the mean pt-hat at 25 * 6.2 / 5.2 = 29.8 GeV;
     * radiation and pileup jets that outrun it bring the mean leading-jet pt to the reference's 31 GeV.
     */
    private static final double PT_HAT_MIN = 25.0;
    private static final double PT_HAT_INDEX = 6.2;
    /** The recoiling jet loses up to 40% of pt-hat to radiation and out-of-cone losses. */
    private static final double RECOIL_BALANCE_MIN = 0.6;
    private static final double RECOIL_PHI_SIGMA = 0.3;
    private static final double RADIATION_JET_PT_MEAN = 8.0;
    static final double HARD_JET_ETA_SIGMA = 1.4;

    /** Pileup jets that survive median-density subtraction: 2.05 + this line = 0.4465 + 0.0772 mu jets. */
    private static final double PILEUP_JETS_PER_MU = 0.0772;
    private static final double PILEUP_JETS_OFFSET = -1.6035;
    private static final double PILEUP_JET_PT_MEAN = 6.0;

    private static final double JET_PT_MIN = ObjectCollection.JETS.ptMin();
    private static final double JET_ETA_MAX = ObjectCollection.JETS.etaMax();
    private static final int MAX_STORED_JETS = ObjectCollection.JETS.maxStored();

    /** Mean |MET| = sigma sqrt(pi/2) for a 2D Gaussian mismeasurement with per-component variance sigma^2. */
    private static final double MET_VARIANCE_OFFSET = 8.61;
    private static final double MET_VARIANCE_PER_MU = 8.155;
    /** Energy lost in the switched-off ECAL endcaps widens the MET resolution. */
    private static final double MET_VARIANCE_ENDCAP_OUT = 60.0;

    private static final double EGAMMA_PER_MU = 0.05664;
    private static final double EGAMMA_OFFSET = -0.1069;
    private static final double EGAMMA_PT_MIN = ObjectCollection.EGAMMAS.ptMin();
    private static final double EGAMMA_PT_MEAN = 5.0;
    private static final double EGAMMA_ETA_MAX = ObjectCollection.EGAMMAS.etaMax();
    /** ECAL barrel/endcap boundary. */
    static final double ECAL_BARREL_ETA_MAX = 1.479;

    private static final double MUONS_PER_MU = 0.000869;
    private static final double MUONS_OFFSET = 0.0060;
    private static final double MUON_PT_MIN = ObjectCollection.MUONS.ptMin();
    private static final double MUON_PT_MEAN = 6.0;
    private static final double MUON_ETA_MAX = ObjectCollection.MUONS.etaMax();

    private static final double TAUS_PER_MU = 0.01;
    private static final double TAUS_OFFSET = 0.3;
    private static final double TAU_PT_MIN = ObjectCollection.TAUS.ptMin();
    private static final double TAU_PT_MEAN = 8.0;
    private static final double TAU_ETA_MAX = ObjectCollection.TAUS.etaMax();

    /** Scratch capacity far above any multiplicity these Poisson means produce (P(> 64) is negligible). */
    private static final int BUFFER_CAPACITY = 64;

    private final RandomVariates random;
    private final ObjectBuffer jets = new ObjectBuffer(BUFFER_CAPACITY);
    private final ObjectBuffer egammas = new ObjectBuffer(BUFFER_CAPACITY);
    private final ObjectBuffer muons = new ObjectBuffer(BUFFER_CAPACITY);
    private final ObjectBuffer taus = new ObjectBuffer(BUFFER_CAPACITY);
    private double metPt;
    private double metPhi;
    private int firstPileupJet;

    BackgroundPhysics(RandomVariates random) {
        this.random = random;
    }

    /** Per-component MET variance in GeV^2; package-private so tests can check the simulated widths against it. */
    static double metVariance(double pileup, boolean endcapOut) {
        return MET_VARIANCE_OFFSET + MET_VARIANCE_PER_MU * pileup + (endcapOut ? MET_VARIANCE_ENDCAP_OUT : 0.0);
    }

    /**
     * The part of {@link #metVariance} that pileup and a degraded detector add, without the hard scatter's own
     * mismeasurement: the missing-energy noise under a signal event, which brings its own hard objects.
     */
    static double pileupMetVariance(double pileup, boolean endcapOut) {
        return metVariance(pileup, endcapOut) - MET_VARIANCE_OFFSET;
    }

    /**
     * Share of the background's muons that pileup makes. The rest (the line's offset) come with the QCD hard
     * scatter, so keeping each muon with this probability leaves the Poisson number pileup alone would give.
     */
    static double pileupShareOfMuons(double pileup) {
        return pileupShare(MUONS_OFFSET, MUONS_PER_MU * pileup);
    }

    /** Share of the background's taus that pileup makes; the rest are QCD hard-scatter jets faking taus. */
    static double pileupShareOfTaus(double pileup) {
        return pileupShare(TAUS_OFFSET, TAUS_PER_MU * pileup);
    }

    private static double pileupShare(double hardScatterMean, double pileupMean) {
        return pileupMean <= 0.0 ? 0.0 : pileupMean / (hardScatterMean + pileupMean);
    }

    /**
     * Draws one event at the given mean pileup into the scratch buffers; endcapOut models ECAL_ENDCAP_OUT. Every
     * event, background or signal, makes exactly these draws, so a signal or a fault never shifts the random stream
     * of the events after it.
     */
    void generate(double pileup, boolean endcapOut) {
        metPt = random.rayleigh(Math.sqrt(metVariance(pileup, endcapOut)));
        metPhi = randomPhi();
        drawJets(pileup);
        drawEgammas(pileup, endcapOut);
        drawSoftObjects(muons, MUONS_OFFSET + MUONS_PER_MU * pileup, MUON_PT_MIN, MUON_PT_MEAN, MUON_ETA_MAX);
        drawSoftObjects(taus, TAUS_OFFSET + TAUS_PER_MU * pileup, TAU_PT_MIN, TAU_PT_MEAN, TAU_ETA_MAX);
    }

    /** The last generated event as a background event. */
    TriggerObjects backgroundObjects() {
        TriggerObjects objects = new TriggerObjects();
        objects.setMetPt((float) metPt);
        objects.setMetPhi((float) metPhi);
        objects.setJets(jets.toPtOrderedList(MAX_STORED_JETS));
        objects.setEgammas(egammas.toPtOrderedList(BUFFER_CAPACITY));
        objects.setMuons(muons.toPtOrderedList(BUFFER_CAPACITY));
        objects.setTaus(taus.toPtOrderedList(BUFFER_CAPACITY));
        return objects;
    }

    /** Jets of the last event, unordered: hard-scatter jets first, pileup jets from {@link #firstPileupJet()}. */
    ObjectBuffer jets() {
        return jets;
    }

    int firstPileupJet() {
        return firstPileupJet;
    }

    ObjectBuffer egammas() {
        return egammas;
    }

    ObjectBuffer muons() {
        return muons;
    }

    ObjectBuffer taus() {
        return taus;
    }

    /** Missing-energy magnitude of the last event: a 2D Gaussian of variance {@link #metVariance} per component. */
    double metPt() {
        return metPt;
    }

    double metPhi() {
        return metPhi;
    }

    private void drawJets(double pileup) {
        jets.clear();
        double ptHat = random.pareto(PT_HAT_MIN, PT_HAT_INDEX);
        double leadingPhi = randomPhi();
        jets.add(ptHat, hardJetEta(), leadingPhi);
        if (random.bernoulli(SECOND_JET_PROBABILITY)) {
            jets.add(ptHat * random.uniform(RECOIL_BALANCE_MIN, 1.0), hardJetEta(),
                    wrapPhi(leadingPhi + Math.PI + RECOIL_PHI_SIGMA * random.gaussian()));
        }
        for (int i = random.poisson(RADIATION_JETS_MEAN); i > 0; i--) {
            jets.add(JET_PT_MIN + random.exponential(RADIATION_JET_PT_MEAN), hardJetEta(), randomPhi());
        }
        firstPileupJet = jets.size();
        for (int i = random.poisson(PILEUP_JETS_OFFSET + PILEUP_JETS_PER_MU * pileup); i > 0; i--) {
            jets.add(JET_PT_MIN + random.exponential(PILEUP_JET_PT_MEAN),
                    random.uniform(-JET_ETA_MAX, JET_ETA_MAX), randomPhi());
        }
    }

    /** Endcap e/gamma are still generated when the endcaps are out, so both states see the same physics. */
    private void drawEgammas(double pileup, boolean endcapOut) {
        egammas.clear();
        for (int i = random.poisson(EGAMMA_OFFSET + EGAMMA_PER_MU * pileup); i > 0; i--) {
            double pt = EGAMMA_PT_MIN + random.exponential(EGAMMA_PT_MEAN);
            double eta = random.uniform(-EGAMMA_ETA_MAX, EGAMMA_ETA_MAX);
            double phi = randomPhi();
            if (!endcapOut || Math.abs(eta) <= ECAL_BARREL_ETA_MAX) {
                egammas.add(pt, eta, phi);
            }
        }
    }

    private void drawSoftObjects(ObjectBuffer buffer, double mean, double ptMin, double ptMean, double etaMax) {
        buffer.clear();
        for (int i = random.poisson(mean); i > 0; i--) {
            buffer.add(ptMin + random.exponential(ptMean), random.uniform(-etaMax, etaMax), randomPhi());
        }
    }

    /** Normal(0, sigma) truncated to the jet acceptance by rejection (3% of draws are redrawn). */
    private double hardJetEta() {
        double eta;
        do {
            eta = HARD_JET_ETA_SIGMA * random.gaussian();
        } while (Math.abs(eta) >= JET_ETA_MAX);
        return eta;
    }

    private double randomPhi() {
        return random.uniform(-Math.PI, Math.PI);
    }

    static double wrapPhi(double phi) {
        return phi - 2.0 * Math.PI * Math.floor((phi + Math.PI) / (2.0 * Math.PI));
    }
}
