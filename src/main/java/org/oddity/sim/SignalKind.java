package org.oddity.sim;

/**
 * The benchmark signals of the CMS ADC2021 anomaly-detection challenge (E. Govorkova et al., "LHC physics dataset
 * for unsupervised New Physics detection at 40 MHz", Sci. Data 9, 118 (2022)), plus a narrow dijet resonance for
 * bump hunts. Default masses are the challenge's.
 */
public enum SignalKind {

    /** Neutral scalar A to two off-shell Z bosons, each to e+e- or mu+mu-. */
    A_4L("A_4l", 50.0, 0.0, 1.0),
    /** Leptoquark to a b quark (seen as a jet) and a tau lepton. */
    LQ_BTAU("LQ_btau", 80.0, 0.0, 6.0),
    /** Neutral scalar to a tau pair. */
    H0_TAUTAU("h0_tautau", 60.0, 0.0, 4.0),
    /** Charged scalar to a tau and its neutrino (missing energy). */
    HPM_TAUNU("hpm_taunu", 60.0, 0.0, 2.0),
    /** Narrow resonance to two jets; the width is a fraction of the mass. */
    DIJET("dijet", 1500.0, 0.03, 10.0);

    private final String label;
    private final double defaultMass;
    private final double defaultWidth;
    private final double minimumMass;

    SignalKind(String label, double defaultMass, double defaultWidth, double minimumMass) {
        this.label = label;
        this.defaultMass = defaultMass;
        this.defaultWidth = defaultWidth;
        this.minimumMass = minimumMass;
    }

    /** Name in scenario files and truth labels. */
    public String label() {
        return label;
    }

    /** Resonance mass in GeV unless a scenario sets one. */
    public double defaultMass() {
        return defaultMass;
    }

    /** Breit-Wigner width as a fraction of the mass unless a scenario sets one; 0 is a fixed mass. */
    public double defaultWidth() {
        return defaultWidth;
    }

    /** Smallest mass (GeV) the decay chain allows with room to spare above the daughters' masses. */
    public double minimumMass() {
        return minimumMass;
    }

    /** The kind labelled {@code label}, or null. */
    public static SignalKind byLabel(String label) {
        for (SignalKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        return null;
    }
}
