package org.oddity.sim;

import java.util.Iterator;
import java.util.List;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.TriggerObjects;

/**
 * What each detector fault does to an event's trigger objects. Missing energy is minus the vector sum of what the
 * detector measured, so every object a fault removes, adds or rescales moves it by the opposite amount.
 */
final class FaultEffects {

    private static final String LABEL_SEPARATOR = "|";

    private final RandomVariates random;
    private double metX;
    private double metY;

    FaultEffects(RandomVariates random) {
        this.random = random;
    }

    /**
     * Applies the faults of {@code faults} active at event time {@code t} to {@code objects}, in order, and returns
     * {@code truth} with the label of each fault that changed the event appended ("|"-separated).
     */
    String apply(List<DetectorFault> faults, TriggerObjects objects, double t, String truth) {
        String label = truth;
        boolean metRead = false;
        boolean metChanged = false;
        for (DetectorFault fault : faults) {
            if (!fault.activeAt(t)) {
                continue;
            }
            if (!metRead) {
                metX = objects.getMetPt() * Math.cos(objects.getMetPhi());
                metY = objects.getMetPt() * Math.sin(objects.getMetPhi());
                metRead = true;
            }
            if (apply(fault, objects, t)) {
                metChanged = true;
                label = label == null ? fault.label() : label + LABEL_SEPARATOR + fault.label();
            }
        }
        if (metChanged) {
            objects.setMetPt((float) Math.sqrt(metX * metX + metY * metY));
            objects.setMetPhi((float) Math.atan2(metY, metX));
        }
        return label;
    }

    private boolean apply(DetectorFault fault, TriggerObjects objects, double t) {
        if (fault instanceof DetectorFault.DeadRegion dead) {
            return deadRegion(dead, objects);
        }
        if (fault instanceof DetectorFault.HotChannel hot) {
            return hotChannel(hot, objects);
        }
        if (fault instanceof DetectorFault.JesDrift drift) {
            return jesDrift(drift.scaleAt(t), objects.getJets());
        }
        double sigma = ((DetectorFault.NoisyMet) fault).sigma();
        metX += sigma * random.gaussian();
        metY += sigma * random.gaussian();
        return true;
    }

    private boolean deadRegion(DetectorFault.DeadRegion dead, TriggerObjects objects) {
        boolean vanished = false;
        for (ObjectCollection collection : ObjectCollection.values()) {
            if (!dead.collections().contains(collection)) {
                continue;
            }
            for (Iterator<PhysicsObject> it = collection.in(objects).iterator(); it.hasNext();) {
                PhysicsObject object = it.next();
                if (dead.contains(object.getEta(), object.getPhi())) {
                    it.remove();
                    metX += object.getPt() * Math.cos(object.getPhi());
                    metY += object.getPt() * Math.sin(object.getPhi());
                    vanished = true;
                }
            }
        }
        return vanished;
    }

    /** The spurious object goes in its pt-ordered place; a full collection drops its softest object. */
    private boolean hotChannel(DetectorFault.HotChannel hot, TriggerObjects objects) {
        if (!random.bernoulli(hot.probability())) {
            return false;
        }
        List<PhysicsObject> list = hot.collection().in(objects);
        int at = 0;
        while (at < list.size() && list.get(at).getPt() >= hot.pt()) {
            at++;
        }
        list.add(at, new PhysicsObject((float) hot.pt(), (float) hot.eta(), (float) hot.phi()));
        if (list.size() > hot.collection().maxStored()) {
            list.remove(list.size() - 1);
        }
        metX -= hot.pt() * Math.cos(hot.phi());
        metY -= hot.pt() * Math.sin(hot.phi());
        return true;
    }

    /**
     * Rescales every jet; uniform scaling keeps the pt order, and jets pushed below threshold are dropped. Jets the
     * simulator never made (below threshold before the drift) cannot be pushed above it.
     */
    private boolean jesDrift(double scale, List<PhysicsObject> jets) {
        if (jets.isEmpty()) {
            return false;
        }
        for (PhysicsObject jet : jets) {
            double pt = jet.getPt();
            metX -= (scale - 1.0) * pt * Math.cos(jet.getPhi());
            metY -= (scale - 1.0) * pt * Math.sin(jet.getPhi());
            jet.setPt((float) (scale * pt));
        }
        jets.removeIf(jet -> !(jet.getPt() >= ObjectCollection.JETS.ptMin()));
        return true;
    }
}
