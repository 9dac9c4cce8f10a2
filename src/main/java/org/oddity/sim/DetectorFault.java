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

    /** Truth label of the events the fault changed. */
    String label();

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

    /** Objects of the chosen collections inside an eta-phi rectangle vanish; their energy turns into missing energy. */
    record DeadRegion(double startSeconds, double endSeconds, double etaMin, double etaMax, double phiMin,
            double phiMax, Set<ObjectCollection> collections) implements DetectorFault {

        public static final String KIND = "dead-region";
        private static final String LABEL = "fault:" + KIND;

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

        @Override
        public String label() {
            return LABEL;
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
        private static final String LABEL = "fault:" + KIND;

        public HotChannel {
            checkWindow(startSeconds, endSeconds);
            Objects.requireNonNull(collection, "collection");
            if (!(probability >= 0.0 && probability <= 1.0)) {
                throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
            }
            if (!(pt >= collection.ptMin() && pt <= 6500.0)) {
                throw new IllegalArgumentException("pt must be in [" + collection.ptMin() + ", 6500], got " + pt);
            }
            if (!(Math.abs(eta) < collection.etaMax())) {
                throw new IllegalArgumentException("|eta| must be below " + collection.etaMax() + ", got " + eta);
            }
            if (!(Math.abs(phi) <= Math.PI)) {
                throw new IllegalArgumentException("phi must be in [-pi, pi], got " + phi);
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String label() {
            return LABEL;
        }
    }

    /** The jet energy scale drifts linearly from 1 at the start of the window to {@code factor} at its end. */
    record JesDrift(double startSeconds, double endSeconds, double factor) implements DetectorFault {

        public static final String KIND = "jes-drift";
        private static final String LABEL = "fault:" + KIND;

        public JesDrift {
            checkWindow(startSeconds, endSeconds);
            if (!(factor > 0.0 && factor <= 10.0)) {
                throw new IllegalArgumentException("factor must be in (0, 10], got " + factor);
            }
        }

        /** Jet energy scale at event time {@code t} inside the window. */
        public double scaleAt(double t) {
            return 1.0 + (factor - 1.0) * (t - startSeconds) / (endSeconds - startSeconds);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String label() {
            return LABEL;
        }
    }

    /** Missing energy gets an extra 2D Gaussian mismeasurement of {@code sigma} GeV per component. */
    record NoisyMet(double startSeconds, double endSeconds, double sigma) implements DetectorFault {

        public static final String KIND = "noisy-met";
        private static final String LABEL = "fault:" + KIND;

        public NoisyMet {
            checkWindow(startSeconds, endSeconds);
            if (!(sigma > 0.0 && sigma <= 1000.0)) {
                throw new IllegalArgumentException("sigma must be in (0, 1000] GeV, got " + sigma);
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String label() {
            return LABEL;
        }
    }
}
