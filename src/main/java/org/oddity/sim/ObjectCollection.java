package org.oddity.sim;

import java.util.List;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.TriggerObjects;

/** The four L1 object collections of an event, with the acceptance the simulated trigger applies to each. */
public enum ObjectCollection {

    /** Anti-kT R=0.4 jets; at most 12 are kept, as in the L1 jet list. */
    JETS("jets", 15.0, 3.0, 12),
    EGAMMAS("egammas", 3.0, 2.5, 64),
    MUONS("muons", 3.0, 2.4, 64),
    TAUS("taus", 10.0, 2.3, 64);

    private final String key;
    private final double ptMin;
    private final double etaMax;
    private final int maxStored;

    ObjectCollection(String key, double ptMin, double etaMax, int maxStored) {
        this.key = key;
        this.ptMin = ptMin;
        this.etaMax = etaMax;
        this.maxStored = maxStored;
    }

    /** Name in scenario files and in the Avro record. */
    public String key() {
        return key;
    }

    /** Lowest pt (GeV) of a stored object. */
    public double ptMin() {
        return ptMin;
    }

    /** Objects are stored only for |eta| below this. */
    public double etaMax() {
        return etaMax;
    }

    /** Most objects an event stores; the lowest-pt ones beyond it are dropped. */
    public int maxStored() {
        return maxStored;
    }

    /** Whether a measured object enters this collection. */
    public boolean accepts(double pt, double eta) {
        return pt >= ptMin && Math.abs(eta) < etaMax;
    }

    /** This collection's (mutable, pt-ordered) list in {@code objects}. */
    public List<PhysicsObject> in(TriggerObjects objects) {
        return switch (this) {
            case JETS -> objects.getJets();
            case EGAMMAS -> objects.getEgammas();
            case MUONS -> objects.getMuons();
            case TAUS -> objects.getTaus();
        };
    }

    /** The collection named {@code key}, or null. */
    public static ObjectCollection byKey(String key) {
        for (ObjectCollection c : values()) {
            if (c.key.equals(key)) {
                return c;
            }
        }
        return null;
    }
}
