package org.oddity.sim;

import org.oddity.avro.TriggerObjects;

/**
 * Signal events at L1-trigger-object level, after the benchmark signals of the CMS ADC2021 anomaly-detection
 * challenge (E. Govorkova et al., Sci. Data 9, 118 (2022)): a resonance gets a transverse boost and a rapidity, decays
 * isotropically in its rest frame by sequential two-body steps (three-body tau decays by phase space), and its
 * products are boosted to the lab, smeared, cut to the L1 acceptance and overlaid on the pileup of a background
 * event at the same pileup. Missing energy is what the measured objects leave unbalanced: neutrinos, particles
 * beyond the detector's reach, and the mismeasurement of everything that was seen.
 */
final class SignalPhysics {

    /** PDG masses and the Z width, in GeV. */
    private static final double Z_MASS = 91.1876;
    private static final double Z_WIDTH = 2.4955;
    private static final double TAU_MASS = 1.77686;
    private static final double ELECTRON_MASS = 0.000511;
    private static final double MUON_MASS = 0.10566;
    private static final double B_MASS = 4.18;
    private static final double PION_MASS = 0.13957;
    private static final double RHO_MASS = 0.77526;
    private static final double A1_MASS = 1.23;

    /**
     * Tau branching fractions (PDG): e nu nu 17.8%, mu nu nu 17.4%, pi nu 10.8%, rho nu 25.5%. The other hadronic
     * modes (a1 to three pions and the rest, 28.5%) decay as one a1-like state: at L1 only the visible mass matters.
     */
    private static final double TAU_TO_ELECTRON = 0.1782;
    private static final double TAU_TO_MUON = 0.1739;
    private static final double TAU_TO_PION = 0.1082;
    private static final double TAU_TO_RHO = 0.2549;

    /** Parent pt ~ pt exp(-pt / scale), mean 2 x scale: the recoil against initial-state radiation. */
    private static final double PARENT_PT_SCALE = 10.0;
    /**
     * A state of mass m at sqrt(s) = 13 TeV reaches rapidity ln(sqrt(s) / m). Its rapidity is Gaussian with a width
     * of 0.4 of that reach, cut at the reach: parton luminosities leave light states spread over |y| of about 2 and
     * make heavy ones central.
     */
    private static final double SQRT_S = 13_000.0;
    private static final double RAPIDITY_WIDTH_FRACTION = 0.4;
    /** The Breit-Wigner line shape is cut at this many widths from the pole. */
    private static final double BREIT_WIGNER_CUT = 5.0;

    /** sigma(pt) / pt = sqrt(stochastic^2 / pt + constant^2), coarse L1 calorimeter and muon-track resolutions. */
    private static final double JET_STOCHASTIC = 1.0;
    private static final double JET_CONSTANT = 0.10;
    private static final double EGAMMA_STOCHASTIC = 0.15;
    private static final double EGAMMA_CONSTANT = 0.04;
    private static final double MUON_CONSTANT = 0.15;
    /** Angular resolution: the 0.087 calorimeter tower over sqrt(12); muons are a little sharper. */
    private static final double CALORIMETER_ANGLE_SIGMA = 0.025;
    private static final double MUON_ANGLE_SIGMA = 0.02;
    /** The forward calorimeter measures energy up to |eta| 5; a particle beyond escapes and adds to missing energy. */
    private static final double CALORIMETER_ETA_MAX = 5.0;
    private static final double ECAL_ENDCAP_ETA_MAX = 3.0;

    private static final int BUFFER_CAPACITY = 64;

    /** How a detector sees a visible particle; hadronic taus show up both as L1 taus and as L1 jets. */
    private enum Seen { JET, EGAMMA, MUON, HADRONIC_TAU }

    private final RandomVariates random;
    private final ObjectBuffer jets = new ObjectBuffer(BUFFER_CAPACITY);
    private final ObjectBuffer egammas = new ObjectBuffer(BUFFER_CAPACITY);
    private final ObjectBuffer muons = new ObjectBuffer(BUFFER_CAPACITY);
    private final ObjectBuffer taus = new ObjectBuffer(BUFFER_CAPACITY);
    private double metX;
    private double metY;
    private boolean endcapOut;

    SignalPhysics(RandomVariates random) {
        this.random = random;
    }

    /** A {@code signal} event overlaid on the pileup of the event {@code background} last generated. */
    TriggerObjects event(SignalInjection signal, BackgroundPhysics background, double pileup, boolean endcapOut) {
        this.endcapOut = endcapOut;
        overlay(background, pileup);
        double mass = resonanceMass(signal);
        LorentzVector parent = parent(mass);
        recoil(parent);
        switch (signal.kind()) {
            case A_4L -> fourLeptons(parent, mass);
            case LQ_BTAU -> {
                LorentzVector b = daughter(parent, mass, B_MASS, TAU_MASS);
                measure(Seen.JET, b);
                tau(parent.minus(b));
            }
            case H0_TAUTAU -> {
                LorentzVector first = daughter(parent, mass, TAU_MASS, TAU_MASS);
                tau(first);
                tau(parent.minus(first));
            }
            case HPM_TAUNU -> {
                LorentzVector tau = daughter(parent, mass, TAU_MASS, 0.0);
                tau(tau);
                invisible(parent.minus(tau));
            }
            case DIJET -> {
                LorentzVector quark = daughter(parent, mass, 0.0, 0.0);
                measure(Seen.JET, quark);
                measure(Seen.JET, parent.minus(quark));
            }
        }
        TriggerObjects objects = new TriggerObjects();
        objects.setMetPt((float) Math.sqrt(metX * metX + metY * metY));
        objects.setMetPhi((float) Math.atan2(metY, metX));
        objects.setJets(jets.toPtOrderedList(ObjectCollection.JETS.maxStored()));
        objects.setEgammas(egammas.toPtOrderedList(ObjectCollection.EGAMMAS.maxStored()));
        objects.setMuons(muons.toPtOrderedList(ObjectCollection.MUONS.maxStored()));
        objects.setTaus(taus.toPtOrderedList(ObjectCollection.TAUS.maxStored()));
        return objects;
    }

    /**
     * The signal replaces the background's hard scatter: its pileup jets and soft e/gamma stay, its muons and taus
     * are thinned to the share pileup makes, and its missing energy keeps only the pileup part of the noise.
     */
    private void overlay(BackgroundPhysics background, double pileup) {
        jets.clear();
        egammas.clear();
        muons.clear();
        taus.clear();
        ObjectBuffer backgroundJets = background.jets();
        for (int i = background.firstPileupJet(); i < backgroundJets.size(); i++) {
            jets.add(backgroundJets.pt(i), backgroundJets.eta(i), backgroundJets.phi(i));
        }
        copy(background.egammas(), egammas, 1.0);
        copy(background.muons(), muons, BackgroundPhysics.pileupShareOfMuons(pileup));
        copy(background.taus(), taus, BackgroundPhysics.pileupShareOfTaus(pileup));
        // A 2D Gaussian vector rescaled to a smaller variance is the 2D Gaussian of that variance.
        double scale = Math.sqrt(BackgroundPhysics.pileupMetVariance(pileup, endcapOut)
                / BackgroundPhysics.metVariance(pileup, endcapOut));
        metX = scale * background.metPt() * Math.cos(background.metPhi());
        metY = scale * background.metPt() * Math.sin(background.metPhi());
    }

    private void copy(ObjectBuffer from, ObjectBuffer to, double keepProbability) {
        for (int i = 0; i < from.size(); i++) {
            if (keepProbability >= 1.0 || random.bernoulli(keepProbability)) {
                to.add(from.pt(i), from.eta(i), from.phi(i));
            }
        }
    }

    /** Breit-Wigner (Cauchy) around the pole, cut at 5 widths and above the decay's minimum mass. */
    private double resonanceMass(SignalInjection signal) {
        double pole = signal.mass();
        double width = signal.width() * pole;
        if (width == 0.0) {
            return pole;
        }
        while (true) {
            double m = pole + 0.5 * width * Math.tan(Math.PI * (random.uniform() - 0.5));
            if (Math.abs(m - pole) < BREIT_WIGNER_CUT * width && m >= signal.kind().minimumMass()) {
                return m;
            }
        }
    }

    private LorentzVector parent(double mass) {
        double pt = PARENT_PT_SCALE * (random.exponential(1.0) + random.exponential(1.0));
        double reach = Math.log(SQRT_S / mass);
        double y;
        do {
            y = RAPIDITY_WIDTH_FRACTION * reach * random.gaussian();
        } while (Math.abs(y) >= reach);
        return LorentzVector.fromPtRapidityPhi(pt, y, random.uniform(-Math.PI, Math.PI), mass);
    }

    /** The initial-state radiation the parent recoils against: one massless jet balancing its transverse momentum. */
    private void recoil(LorentzVector parent) {
        double pt = parent.pt();
        double eta = BackgroundPhysics.HARD_JET_ETA_SIGMA * random.gaussian();
        measure(Seen.JET, new LorentzVector(-parent.px(), -parent.py(), pt * Math.sinh(eta), pt * Math.cosh(eta)));
    }

    /**
     * A to Z* Z* to 4 leptons, each Z* to e+e- or mu+mu- with equal probability. Both Z* are off shell below 2 m_Z:
     * their masses follow the Z propagator times two-body phase space, by sampling each m^2 from the Breit-Wigner
     * (tangent mapping) and accepting on p* and the lepton velocities.
     */
    private void fourLeptons(LorentzVector parent, double mass) {
        boolean firstMuons = random.bernoulli(0.5);
        boolean secondMuons = random.bernoulli(0.5);
        double lepton1 = firstMuons ? MUON_MASS : ELECTRON_MASS;
        double lepton2 = secondMuons ? MUON_MASS : ELECTRON_MASS;
        double pMax = twoBodyMomentum(mass, 2 * lepton1, 2 * lepton2);
        double m1;
        double m2;
        while (true) {
            m1 = zStarMass(2 * lepton1, mass - 2 * lepton2);
            m2 = zStarMass(2 * lepton2, mass - 2 * lepton1);
            if (m1 + m2 < mass && random.uniform() * pMax
                    < twoBodyMomentum(mass, m1, m2) * velocity(lepton1, m1) * velocity(lepton2, m2)) {
                break;
            }
        }
        LorentzVector z1 = daughter(parent, mass, m1, m2);
        LorentzVector z2 = parent.minus(z1);
        leptonPair(z1, m1, lepton1, firstMuons ? Seen.MUON : Seen.EGAMMA);
        leptonPair(z2, m2, lepton2, secondMuons ? Seen.MUON : Seen.EGAMMA);
    }

    private void leptonPair(LorentzVector z, double zMass, double leptonMass, Seen seen) {
        LorentzVector lepton = daughter(z, zMass, leptonMass, leptonMass);
        measure(seen, lepton);
        measure(seen, z.minus(lepton));
    }

    /** m with m^2 Breit-Wigner distributed around the Z pole, restricted to [low, high]. */
    private double zStarMass(double low, double high) {
        double poleSq = Z_MASS * Z_MASS;
        double scale = Z_MASS * Z_WIDTH;
        double from = Math.atan((low * low - poleSq) / scale);
        double to = Math.atan((high * high - poleSq) / scale);
        double mSq = poleSq + scale * Math.tan(random.uniform(from, to));
        return Math.sqrt(Math.max(low * low, mSq));
    }

    private static double velocity(double leptonMass, double pairMass) {
        double ratio = 2 * leptonMass / pairMass;
        return Math.sqrt(Math.max(0.0, 1.0 - ratio * ratio));
    }

    /** A tau lepton: e or mu plus two neutrinos, or a hadronic system plus one neutrino. */
    private void tau(LorentzVector tau) {
        double u = random.uniform();
        if (u < TAU_TO_ELECTRON) {
            leptonicTau(tau, ELECTRON_MASS, Seen.EGAMMA);
        } else if (u < TAU_TO_ELECTRON + TAU_TO_MUON) {
            leptonicTau(tau, MUON_MASS, Seen.MUON);
        } else {
            double hadronMass = u < TAU_TO_ELECTRON + TAU_TO_MUON + TAU_TO_PION ? PION_MASS
                    : u < TAU_TO_ELECTRON + TAU_TO_MUON + TAU_TO_PION + TAU_TO_RHO ? RHO_MASS : A1_MASS;
            LorentzVector hadrons = daughter(tau, TAU_MASS, hadronMass, 0.0);
            measure(Seen.HADRONIC_TAU, hadrons);
            invisible(tau.minus(hadrons));
        }
    }

    /**
     * Three-body phase space as two two-body steps: tau to lepton + (nu nu) with the pair's m^2 uniform and
     * accepted on the lepton's momentum p*, which is flat three-body phase space for massless neutrinos.
     */
    private void leptonicTau(LorentzVector tau, double leptonMass, Seen seen) {
        double pMax = twoBodyMomentum(TAU_MASS, leptonMass, 0.0);
        double reach = TAU_MASS - leptonMass;
        double pairMass;
        do {
            pairMass = Math.sqrt(random.uniform(0.0, reach * reach));
        } while (random.uniform() * pMax >= twoBodyMomentum(TAU_MASS, leptonMass, pairMass));
        LorentzVector lepton = daughter(tau, TAU_MASS, leptonMass, pairMass);
        measure(seen, lepton);
        invisible(tau.minus(lepton));
    }

    /** First daughter of an isotropic two-body decay of {@code parent} (mass {@code mass}), in the lab frame. */
    private LorentzVector daughter(LorentzVector parent, double mass, double mass1, double mass2) {
        double p = twoBodyMomentum(mass, mass1, mass2);
        double cosTheta = random.uniform(-1.0, 1.0);
        double sinTheta = Math.sqrt(1.0 - cosTheta * cosTheta);
        double phi = random.uniform(-Math.PI, Math.PI);
        LorentzVector rest = new LorentzVector(p * sinTheta * Math.cos(phi), p * sinTheta * Math.sin(phi),
                p * cosTheta, Math.sqrt(p * p + mass1 * mass1));
        return rest.boostedOutOf(parent);
    }

    /** Daughter momentum in the rest frame of a two-body decay. */
    static double twoBodyMomentum(double mass, double mass1, double mass2) {
        double sum = mass1 + mass2;
        double difference = mass1 - mass2;
        return Math.sqrt(Math.max(0.0, (mass * mass - sum * sum) * (mass * mass - difference * difference)))
                / (2.0 * mass);
    }

    private void invisible(LorentzVector particle) {
        metX += particle.px();
        metY += particle.py();
    }

    /** Smears a visible particle, stores it if it passes the L1 acceptance, and books its effect on missing energy. */
    private void measure(Seen seen, LorentzVector particle) {
        double eta = particle.eta();
        double reach = seen == Seen.MUON ? ObjectCollection.MUONS.etaMax() : CALORIMETER_ETA_MAX;
        boolean inDeadEndcap = seen == Seen.EGAMMA && endcapOut
                && Math.abs(eta) > BackgroundPhysics.ECAL_BARREL_ETA_MAX && Math.abs(eta) < ECAL_ENDCAP_ETA_MAX;
        if (Math.abs(eta) >= reach || inDeadEndcap) {
            invisible(particle);
            return;
        }
        double truePt = particle.pt();
        double angleSigma = seen == Seen.MUON ? MUON_ANGLE_SIGMA : CALORIMETER_ANGLE_SIGMA;
        double pt = Math.max(0.0, truePt + ptSigma(seen, truePt) * random.gaussian());
        double measuredEta = eta + angleSigma * random.gaussian();
        double phi = BackgroundPhysics.wrapPhi(particle.phi() + angleSigma * random.gaussian());
        // Missing energy is minus the sum of what was measured, so a mismeasurement shifts it the other way.
        metX -= pt * Math.cos(phi) - particle.px();
        metY -= pt * Math.sin(phi) - particle.py();
        switch (seen) {
            case JET -> store(jets, ObjectCollection.JETS, pt, measuredEta, phi);
            case EGAMMA -> store(egammas, ObjectCollection.EGAMMAS, pt, measuredEta, phi);
            case MUON -> store(muons, ObjectCollection.MUONS, pt, measuredEta, phi);
            case HADRONIC_TAU -> {
                store(taus, ObjectCollection.TAUS, pt, measuredEta, phi);
                store(jets, ObjectCollection.JETS, pt, measuredEta, phi);
            }
        }
    }

    private static void store(ObjectBuffer buffer, ObjectCollection collection, double pt, double eta, double phi) {
        if (collection.accepts(pt, eta)) {
            buffer.add(pt, eta, phi);
        }
    }

    /** Absolute pt resolution in GeV: sigma = sqrt(stochastic^2 pt + constant^2 pt^2). */
    private static double ptSigma(Seen seen, double pt) {
        return switch (seen) {
            case JET, HADRONIC_TAU -> Math.sqrt(JET_STOCHASTIC * JET_STOCHASTIC * pt
                    + JET_CONSTANT * JET_CONSTANT * pt * pt);
            case EGAMMA -> Math.sqrt(EGAMMA_STOCHASTIC * EGAMMA_STOCHASTIC * pt
                    + EGAMMA_CONSTANT * EGAMMA_CONSTANT * pt * pt);
            case MUON -> MUON_CONSTANT * pt;
        };
    }
}
