package org.oddity.sim;

/** A four-momentum in GeV, with the boost and collider coordinates (pt, eta, phi) the decay generator needs. */
record LorentzVector(double px, double py, double pz, double e) {

    /** A particle of mass {@code m} at transverse momentum pt, rapidity y and azimuth phi. */
    static LorentzVector fromPtRapidityPhi(double pt, double y, double phi, double m) {
        double mt = Math.sqrt(m * m + pt * pt);
        return new LorentzVector(pt * Math.cos(phi), pt * Math.sin(phi), mt * Math.sinh(y), mt * Math.cosh(y));
    }

    /** A massless particle at pt, pseudorapidity eta and azimuth phi. */
    static LorentzVector masslessFromPtEtaPhi(double pt, double eta, double phi) {
        return fromPtRapidityPhi(pt, eta, phi, 0.0);
    }

    double pt() {
        return Math.sqrt(px * px + py * py);
    }

    double p() {
        return Math.sqrt(px * px + py * py + pz * pz);
    }

    /** Invariant mass; rounding can make e^2 - p^2 slightly negative for massless particles, which reads as 0. */
    double mass() {
        double p = p();
        return Math.sqrt(Math.max(0.0, (e - p) * (e + p)));
    }

    /** asinh(pz / pt); a particle along the beam gets an |eta| far outside any acceptance. */
    double eta() {
        double pt = pt();
        if (pt == 0.0) {
            return Math.copySign(1e9, pz);
        }
        double x = pz / pt;
        return Math.copySign(Math.log(Math.abs(x) + Math.sqrt(1.0 + x * x)), x);
    }

    double phi() {
        return Math.atan2(py, px);
    }

    LorentzVector minus(LorentzVector other) {
        return new LorentzVector(px - other.px, py - other.py, pz - other.pz, e - other.e);
    }

    LorentzVector plus(LorentzVector other) {
        return new LorentzVector(px + other.px, py + other.py, pz + other.pz, e + other.e);
    }

    /** This vector, given in the rest frame of {@code frame}, seen in the frame where {@code frame} is measured. */
    LorentzVector boostedOutOf(LorentzVector frame) {
        double bx = frame.px / frame.e;
        double by = frame.py / frame.e;
        double bz = frame.pz / frame.e;
        double b2 = bx * bx + by * by + bz * bz;
        if (b2 == 0.0) {
            return this;
        }
        double gamma = 1.0 / Math.sqrt(1.0 - b2);
        double bp = bx * px + by * py + bz * pz;
        double gamma2 = (gamma - 1.0) / b2;
        double k = gamma2 * bp + gamma * e;
        return new LorentzVector(px + k * bx, py + k * by, pz + k * bz, gamma * (e + bp));
    }
}
