package org.oddity.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.TriggerObjects;

/**
 * The CMS Level-1 anomaly-detection input layout: MET, 4 e/gamma, 4 muons and 10 jets, each as
 * (pt, eta, phi), pt-ordered and zero-padded: 57 values. MET has eta 0 by construction.
 *
 * <p>Every object of the event is checked, not only the ones that make it into the vector: a
 * non-finite or negative-pt object anywhere means the readout is broken.
 */
public final class L1ObjectsExtractor implements FeatureExtractor {

    /** Name in bundle manifests. */
    public static final String NAME = "l1-objects-57";

    private static final int EGAMMAS = 4;
    private static final int MUONS = 4;
    private static final int JETS = 10;
    private static final List<String> NAMES = names();

    /** Indices of the highest-pt objects of one list, highest first. */
    private final int[] top = new int[Math.max(JETS, Math.max(EGAMMAS, MUONS))];

    private static List<String> names() {
        List<String> names = new ArrayList<>(List.of("met_pt", "met_eta", "met_phi"));
        addNames(names, "eg", EGAMMAS);
        addNames(names, "mu", MUONS);
        addNames(names, "jet", JETS);
        return Collections.unmodifiableList(names);
    }

    private static void addNames(List<String> names, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            names.add(prefix + i + "_pt");
            names.add(prefix + i + "_eta");
            names.add(prefix + i + "_phi");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> featureNames() {
        return NAMES;
    }

    @Override
    public void extract(CollisionEvent event, float[] out) throws InvalidEventException {
        TriggerObjects objects = event.getObjects();
        if (objects == null) {
            throw new EventLayoutException("event carries no trigger objects, which " + NAME + " needs");
        }
        float metPt = objects.getMetPt();
        float metPhi = objects.getMetPhi();
        if (!Float.isFinite(metPt) || !Float.isFinite(metPhi) || metPt < 0f) {
            throw new InvalidEventException("MET is not a finite non-negative value: pt=" + metPt + " phi=" + metPhi);
        }
        out[0] = metPt;
        out[1] = 0f;
        out[2] = metPhi;
        int at = 3;
        at = fill(objects.getEgammas(), "egammas", EGAMMAS, out, at);
        at = fill(objects.getMuons(), "muons", MUONS, out, at);
        fill(objects.getJets(), "jets", JETS, out, at);
        check(objects.getTaus(), "taus");
    }

    /** Writes the {@code slots} highest-pt objects of {@code list} from {@code at}; returns the next index. */
    private int fill(List<PhysicsObject> list, String kind, int slots, float[] out, int at) throws InvalidEventException {
        check(list, kind);
        // The slots highest-pt objects, highest first and equal pts in list order: the head of a
        // stable sort by descending pt, kept in O(n * slots) so that an event with thousands of
        // objects costs a scan, not the O(n^2) of sorting them all.
        int kept = 0;
        for (int i = 0; i < list.size(); i++) {
            float pt = list.get(i).getPt();
            int j;
            if (kept < slots) {
                j = kept++;
            } else if (pt > list.get(top[slots - 1]).getPt()) {
                j = slots - 1;
            } else {
                continue;
            }
            while (j > 0 && list.get(top[j - 1]).getPt() < pt) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = i;
        }
        for (int s = 0; s < slots; s++, at += 3) {
            if (s < kept) {
                PhysicsObject o = list.get(top[s]);
                out[at] = o.getPt();
                out[at + 1] = o.getEta();
                out[at + 2] = o.getPhi();
            } else {
                out[at] = 0f;
                out[at + 1] = 0f;
                out[at + 2] = 0f;
            }
        }
        return at;
    }

    private static void check(List<PhysicsObject> list, String kind) throws InvalidEventException {
        for (int i = 0; i < list.size(); i++) {
            PhysicsObject o = list.get(i);
            if (!Float.isFinite(o.getPt()) || !Float.isFinite(o.getEta()) || !Float.isFinite(o.getPhi())
                    || o.getPt() < 0f) {
                throw new InvalidEventException(kind + "[" + i + "] is not finite with non-negative pt: pt="
                        + o.getPt() + " eta=" + o.getEta() + " phi=" + o.getPhi());
            }
        }
    }
}
