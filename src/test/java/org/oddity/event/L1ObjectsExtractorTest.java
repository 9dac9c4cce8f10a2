package org.oddity.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.RunConditions;
import org.oddity.avro.TriggerObjects;

/**
 * The CMS L1 layout: 57 values (MET with eta 0, 4 e/gamma, 4 muons, 10 jets, each pt, eta, phi),
 * every list pt-ordered and zero-padded, only the hardest objects kept, and any non-finite or
 * negative-pt object rejected even when it would not make it into the vector.
 */
class L1ObjectsExtractorTest {

    private static PhysicsObject o(float pt, float eta, float phi) {
        return new PhysicsObject(pt, eta, phi);
    }

    static CollisionEvent event(TriggerObjects objects) {
        return new CollisionEvent(1L, 1, 1L, 0L, 1, new RunConditions(35f, 1.5f, "ALL_IN", new HashMap<>()), objects,
                null, null);
    }

    static TriggerObjects objects(float metPt, float metPhi, List<PhysicsObject> egammas, List<PhysicsObject> muons,
            List<PhysicsObject> taus, List<PhysicsObject> jets) {
        return new TriggerObjects(metPt, metPhi, new ArrayList<>(egammas), new ArrayList<>(muons), new ArrayList<>(taus),
                new ArrayList<>(jets));
    }

    private static float[] extract(CollisionEvent event) throws InvalidEventException {
        float[] out = new float[57];
        Arrays.fill(out, 999f);
        new L1ObjectsExtractor().extract(event, out);
        return out;
    }

    private static String rejection(TriggerObjects objects) {
        return assertThrows(InvalidEventException.class, () -> extract(event(objects))).getMessage();
    }

    @Test
    void namesFollowTheCmsLayout() {
        L1ObjectsExtractor extractor = new L1ObjectsExtractor();
        List<String> names = extractor.featureNames();
        assertEquals("l1-objects-57", extractor.name());
        assertEquals(57, names.size());
        assertEquals(List.of("met_pt", "met_eta", "met_phi", "eg0_pt"), names.subList(0, 4));
        assertEquals("eg3_phi", names.get(14));
        assertEquals("mu0_pt", names.get(15));
        assertEquals("mu3_phi", names.get(26));
        assertEquals("jet0_pt", names.get(27));
        assertEquals("jet9_phi", names.get(56));
        assertEquals(57, names.stream().distinct().count());
    }

    @Test
    void objectsArePtOrderedAndZeroPadded() throws InvalidEventException {
        float[] out = extract(event(objects(42.5f, -1.25f,
                List.of(o(8f, 0.5f, 0.1f), o(30f, -1.5f, 2.0f)),
                List.of(o(5f, 2.1f, -3.0f)),
                List.of(o(60f, 0.0f, 0.0f)),
                List.of(o(20f, 1.0f, 1.1f), o(50f, -2.0f, -1.1f), o(35f, 0.3f, 3.1f)))));
        float[] expected = new float[57];
        // MET: pt, eta = 0 by construction, phi.
        expected[0] = 42.5f;
        expected[2] = -1.25f;
        // e/gamma 30 then 8; slots eg2, eg3 stay zero.
        System.arraycopy(new float[] {30f, -1.5f, 2.0f, 8f, 0.5f, 0.1f}, 0, expected, 3, 6);
        System.arraycopy(new float[] {5f, 2.1f, -3.0f}, 0, expected, 15, 3);
        // Jets 50, 35, 20; the tau (not in the layout) takes no slot.
        System.arraycopy(new float[] {50f, -2.0f, -1.1f, 35f, 0.3f, 3.1f, 20f, 1.0f, 1.1f}, 0, expected, 27, 9);
        assertArrayEquals(expected, out);
    }

    @Test
    void emptyListsGiveMetAndZeros() throws InvalidEventException {
        float[] out = extract(event(objects(0f, 0f, List.of(), List.of(), List.of(), List.of())));
        assertArrayEquals(new float[57], out);
    }

    @Test
    void moreThanTenJetsKeepsTheTenHardestAndPaddingIsRewritten() throws InvalidEventException {
        List<PhysicsObject> jets = new ArrayList<>();
        // 40 jets (more than the scratch array's initial 32) with pt 1..40 in a scrambled order.
        for (int i = 0; i < 40; i++) {
            int pt = 1 + (i * 17) % 40;
            jets.add(o(pt, pt / 100f, -pt / 100f));
        }
        L1ObjectsExtractor extractor = new L1ObjectsExtractor();
        float[] out = new float[57];
        extractor.extract(event(objects(10f, 0f, List.of(), List.of(), List.of(), jets)), out);
        for (int slot = 0; slot < 10; slot++) {
            float pt = 40 - slot;
            assertEquals(pt, out[27 + 3 * slot]);
            assertEquals(pt / 100f, out[28 + 3 * slot]);
            assertEquals(-pt / 100f, out[29 + 3 * slot]);
        }
        // The same extractor and array on a two-jet event: slots 2..9 are zeroed again.
        extractor.extract(event(objects(10f, 0f, List.of(), List.of(), List.of(),
                List.of(o(7f, 1f, 1f), o(9f, 2f, 2f)))), out);
        assertEquals(9f, out[27]);
        assertEquals(7f, out[30]);
        for (int i = 33; i < 57; i++) {
            assertEquals(0f, out[i], "index " + i);
        }
    }

    @Test
    void equalPtKeepsInputOrder() throws InvalidEventException {
        float[] out = extract(event(objects(1f, 0f, List.of(),
                List.of(o(10f, 1f, 0f), o(10f, 2f, 0f), o(20f, 3f, 0f), o(10f, 4f, 0f), o(5f, 5f, 0f)),
                List.of(), List.of())));
        // The four muon slots: 20, then the three 10s as given; the 5 is dropped.
        assertArrayEquals(new float[] {20f, 3f, 0f, 10f, 1f, 0f, 10f, 2f, 0f, 10f, 4f, 0f},
                Arrays.copyOfRange(out, 15, 27));
    }

    @Test
    void invalidObjectsAnywhereAreRejected() {
        List<PhysicsObject> twelveJets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            twelveJets.add(o(100f - i, 0f, 0f));
        }
        // The 12th jet is the softest: it would not be in the vector, but a NaN means broken readout.
        twelveJets.set(11, o(1f, Float.NaN, 0.5f));
        assertEquals("jets[11] is not finite with non-negative pt: pt=1.0 eta=NaN phi=0.5",
                rejection(objects(10f, 0f, List.of(), List.of(), List.of(), twelveJets)));
        assertEquals("muons[1] is not finite with non-negative pt: pt=-3.0 eta=0.0 phi=0.0",
                rejection(objects(10f, 0f, List.of(), List.of(o(5f, 0f, 0f), o(-3f, 0f, 0f)), List.of(), List.of())));
        assertEquals("taus[0] is not finite with non-negative pt: pt=Infinity eta=0.0 phi=0.0",
                rejection(objects(10f, 0f, List.of(), List.of(), List.of(o(Float.POSITIVE_INFINITY, 0f, 0f)),
                        List.of())));
        assertEquals("egammas[0] is not finite with non-negative pt: pt=3.0 eta=0.0 phi=-Infinity",
                rejection(objects(10f, 0f, List.of(o(3f, 0f, Float.NEGATIVE_INFINITY)), List.of(), List.of(),
                        List.of())));
        assertEquals("MET is not a finite non-negative value: pt=-1.0 phi=0.0",
                rejection(objects(-1f, 0f, List.of(), List.of(), List.of(), List.of())));
        assertEquals("MET is not a finite non-negative value: pt=5.0 phi=NaN",
                rejection(objects(5f, Float.NaN, List.of(), List.of(), List.of(), List.of())));
        CollisionEvent noObjects = event(null);
        assertEquals("event carries no trigger objects, which l1-objects-57 needs",
                assertThrows(InvalidEventException.class, () -> extract(noObjects)).getMessage());
    }
}
