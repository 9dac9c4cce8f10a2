package org.oddity.sim;

/** Shape of one LHC fill in event time: luminosity decays exponentially, pileup is proportional to luminosity. */
public record FillProfile(double peakPileup, double endPileup, double peakLumi, double durationSeconds) {

    /** Typical Run-3 fill: pileup 60 at the start of stable beams, 25 when the beams are dumped. */
    private static final double STANDARD_PEAK_PILEUP = 60.0;
    private static final double STANDARD_END_PILEUP = 25.0;
    /** In units of 1e34 cm^-2 s^-1. */
    private static final double STANDARD_PEAK_LUMI = 2.0;

    public FillProfile {
        if (!(endPileup > 0.0) || !(peakPileup >= endPileup) || Double.isInfinite(peakPileup)) {
            throw new IllegalArgumentException(
                    "need 0 < endPileup <= peakPileup < infinity, got peakPileup=" + peakPileup + " endPileup=" + endPileup);
        }
        if (!(peakLumi > 0.0) || Double.isInfinite(peakLumi)) {
            throw new IllegalArgumentException("peakLumi must be positive and finite, got " + peakLumi);
        }
        if (!(durationSeconds > 0.0) || Double.isInfinite(durationSeconds)) {
            throw new IllegalArgumentException("durationSeconds must be positive and finite, got " + durationSeconds);
        }
    }

    public static FillProfile standard(double durationSeconds) {
        return new FillProfile(STANDARD_PEAK_PILEUP, STANDARD_END_PILEUP, STANDARD_PEAK_LUMI, durationSeconds);
    }

    /** Mean interactions per crossing; the decay rate is chosen so the fill ends exactly at endPileup. */
    public double pileupAt(double secondsIntoFill) {
        return peakPileup * decayAt(secondsIntoFill);
    }

    public double lumiAt(double secondsIntoFill) {
        return peakLumi * decayAt(secondsIntoFill);
    }

    private double decayAt(double secondsIntoFill) {
        return Math.exp(-Math.log(peakPileup / endPileup) * secondsIntoFill / durationSeconds);
    }
}
