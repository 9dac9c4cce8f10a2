package org.oddity.sim;

import java.util.ArrayList;
import java.util.List;
import org.oddity.avro.PhysicsObject;

/** Reusable primitive scratch space for one object collection; emits it pt-ordered as Avro objects. */
final class ObjectBuffer {

    private final double[] pt;
    private final double[] eta;
    private final double[] phi;
    private int size;

    /** Capacity bounds what one event can hold before the stored-object cap is applied. */
    ObjectBuffer(int capacity) {
        pt = new double[capacity];
        eta = new double[capacity];
        phi = new double[capacity];
    }

    void clear() {
        size = 0;
    }

    /** Objects beyond capacity are dropped; capacities are set far above any plausible multiplicity. */
    void add(double objectPt, double objectEta, double objectPhi) {
        if (size == pt.length) {
            return;
        }
        pt[size] = objectPt;
        eta[size] = objectEta;
        phi[size] = objectPhi;
        size++;
    }

    int size() {
        return size;
    }

    double pt(int index) {
        return pt[index];
    }

    double eta(int index) {
        return eta[index];
    }

    double phi(int index) {
        return phi[index];
    }

    /** Insertion sort: collections hold a handful of objects, so it beats anything that allocates. */
    List<PhysicsObject> toPtOrderedList(int maxObjects) {
        for (int i = 1; i < size; i++) {
            double p = pt[i];
            double e = eta[i];
            double f = phi[i];
            int j = i - 1;
            while (j >= 0 && pt[j] < p) {
                pt[j + 1] = pt[j];
                eta[j + 1] = eta[j];
                phi[j + 1] = phi[j];
                j--;
            }
            pt[j + 1] = p;
            eta[j + 1] = e;
            phi[j + 1] = f;
        }
        int n = Math.min(size, maxObjects);
        List<PhysicsObject> objects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PhysicsObject object = new PhysicsObject();
            object.setPt((float) pt[i]);
            object.setEta((float) eta[i]);
            object.setPhi((float) phi[i]);
            objects.add(object);
        }
        return objects;
    }
}
