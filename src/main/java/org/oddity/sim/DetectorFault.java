package org.oddity.sim;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** A detector fault active in [startSeconds, endSeconds) of event time; events it changes are labelled "fault:kind". */
public sealed interface DetectorFault
        permits DetectorFault.DeadRegion, DetectorFault.HotChannel, DetectorFault.JesDrift, DetectorFault.NoisyMet {

    double startSeconds();

    double endSeconds();

    /** Name in scenario files, e.g. {@code dead-region}. */
    String kind();

    /** Truth label of the events the fault changed, e.g. {@code fault:dead-region}. */
    default String label() {
        return "fault:" + kind();
    }

    /** Whether event time {@code t} (seconds into the run) lies in the window. */
    default boolean activeAt(double t) {
        return t >= startSeconds() && t < endSeconds();
    }

    private static void checkWindow(double startSeconds, double endSeconds) {
        if (!(startSeconds >= 0.0) || !(endSeconds > startSeconds)) {
            throw new IllegalArgumentException(
                    "need 0 <= startSeconds < endSeconds, got " + startSeconds + " and " + endSeconds);
        }
    }

    private static void checkRange(boolean inRange, String parameter, String range, double value) {
        if (!inRange) {
            throw new IllegalArgumentException(parameter + " must be in " + range + ", got " + value);
        }
    }

    /** Objects of the chosen collections inside an eta-phi rectangle vanish; their energy turns into missing energy. */
    record DeadRegion(double startSeconds, double endSeconds, double etaMin, double etaMax, double phiMin,
            double phiMax, Set<ObjectCollection> collections) implements DetectorFault {

        public static final String KIND = "dead-region";

        public DeadRegion {
            checkWindow(startSeconds, endSeconds);
            if (!(etaMin < etaMax) || !(Math.abs(etaMin) <= 5.0) || !(Math.abs(etaMax) <= 5.0)) {
                throw new IllegalArgumentException("need -5 <= etaMin < etaMax <= 5, got " + etaMin + ", " + etaMax);
            }
            if (!(phiMin < phiMax) || !(phiMin >= -Math.PI) || !(phiMax <= Math.PI)) {
                throw new IllegalArgumentException("need -pi <= phiMin < phiMax <= pi, got " + phiMin + ", " + phiMax);
            }
            if (collections.isEmpty()) {
                throw new IllegalArgumentException("a dead region needs at least one object collection");
            }
            collections = Set.copyOf(EnumSet.copyOf(collections));
        }

        @Override
        public String kind() {
            return KIND;
        }

        /** Whether (eta, phi) lies in the rectangle (lower edges in, upper edges out). */
        public boolean contains(double eta, double phi) {
            return eta >= etaMin && eta < etaMax && phi >= phiMin && phi < phiMax;
        }
    }

    /** With {@code probability} per event, a spurious object of fixed pt appears at a fixed (eta, phi). */
    record HotChannel(double startSeconds, double endSeconds, double probability, ObjectCollection collection,
            double pt, double eta, double phi) implements DetectorFault {

        public static final String KIND = "hot-channel";

        public HotChannel {
            checkWindow(startSeconds, endSeconds);
            Objects.requireNonNull(collection, "collection");
            checkRange(probability >= 0.0 && probability <= 1.0, "probability", "[0, 1]", probability);
            checkRange(pt >= collection.ptMin() && pt <= 6500.0, "pt", "[" + collection.ptMin() + ", 6500]", pt);
            if (!(Math.abs(eta) < collection.etaMax())) {
                throw new IllegalArgumentException("|eta| must be below " + collection.etaMax() + ", got " + eta);
            }
            checkRange(Math.abs(phi) <= Math.PI, "phi", "[-pi, pi]", phi);
        }

        @Override
        public String kind() {
            return KIND;
        }
    }

    /** The jet energy scale drifts linearly from 1 at the start of the window to {@code factor} at its end. */
    record JesDrift(double startSeconds, double endSeconds, double factor) implements DetectorFault {

        public static final String KIND = "jes-drift";

        public JesDrift {
            checkWindow(startSeconds, endSeconds);
            checkRange(factor > 0.0 && factor <= 10.0, "factor", "(0, 10]", factor);
        }

        /** Jet energy scale at event time {@code t} inside the window. */
        public double scaleAt(double t) {
            return 1.0 + (factor - 1.0) * (t - startSeconds) / (endSeconds - startSeconds);
        }

        @Override
        public String kind() {
            return KIND;
        }
    }

    /** Missing energy gets an extra 2D Gaussian mismeasurement of {@code sigma} GeV per component. */
    record NoisyMet(double startSeconds, double endSeconds, double sigma) implements DetectorFault {

        public static final String KIND = "noisy-met";

        public NoisyMet {
            checkWindow(startSeconds, endSeconds);
            checkRange(sigma > 0.0 && sigma <= 1000.0, "sigma", "(0, 1000] GeV", sigma);
        }

        @Override
        public String kind() {
            return KIND;
        }
    }
}
