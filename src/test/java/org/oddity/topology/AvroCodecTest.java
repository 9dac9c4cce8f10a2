package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FeatureVector;
import org.oddity.avro.PhysicsObject;
import org.oddity.avro.RunConditions;
import org.oddity.avro.TriggerObjects;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;

/**
 * Avro single-object encoding of collision events: the marker C3 01 and the writer schema's
 * fingerprint lead the bytes, simulated events round-trip exactly, an event written with the
 * older v1 schema (no truth field) decodes to the current class with truth null, and garbage,
 * truncated or unknown-fingerprint bytes throw instead of decoding to something.
 */
class AvroCodecTest {

    private static final AvroCodec<CollisionEvent> CODEC = AvroCodec.of(CollisionEvent.class);

    private static List<CollisionEvent> simulated(int count) {
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(count, 3_600), 31);
        List<CollisionEvent> events = new ArrayList<>();
        while (simulator.hasNext()) {
            events.add(simulator.next());
        }
        return events;
    }

    private static Schema v1Schema() throws IOException {
        try (InputStream in = AvroCodecTest.class.getResourceAsStream("/avro-history/CollisionEvent.v1.avsc")) {
            assertNotNull(in, "avro-history/CollisionEvent.v1.avsc is on the classpath");
            return new Schema.Parser().parse(in);
        }
    }

    private static long fingerprintOf(byte[] bytes) {
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
        }
        return fingerprint;
    }

    @Test
    void simulatedEventsRoundTripBehindTheSingleObjectHeader() throws IOException {
        long fingerprint = SchemaNormalization.parsingFingerprint64(CODEC.schema());
        assertEquals(CollisionEvent.getClassSchema(), CODEC.schema());
        int checked = 0;
        for (CollisionEvent event : simulated(300)) {
            if (event.getEvent() % 3 == 0) {
                event.setTruth("signal:dijet-resonance");
            }
            byte[] bytes = CODEC.encode(event);
            assertEquals((byte) 0xC3, bytes[0]);
            assertEquals((byte) 0x01, bytes[1]);
            assertEquals(fingerprint, fingerprintOf(bytes));
            CollisionEvent decoded = CODEC.decode(bytes, null);
            assertEquals(event, decoded);
            assertEquals(event.getObjects().getJets().size(), decoded.getObjects().getJets().size());
            assertArrayEquals(bytes, CODEC.encode(decoded));
            checked++;
        }
        assertEquals(300, checked);
    }

    @Test
    void flatFeatureEventsRoundTrip() throws IOException {
        CollisionEvent event = new CollisionEvent(9L, 4, 123_456_789_012L, 1_767_225_600_123_456_789L, 3_563,
                new RunConditions(null, null, null, new HashMap<>(Map.of("fill", "11042"))), null,
                new FeatureVector("calo-3", new ArrayList<>(List.of(1.5f, Float.NaN, -0f))), null);
        CollisionEvent decoded = CODEC.decode(CODEC.encode(event), null);
        assertEquals(event, decoded);
        assertTrue(Float.isNaN(decoded.getFeatures().getValues().get(1)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(decoded.getFeatures().getValues().get(2)));
        assertEquals(Map.of("fill", "11042"), decoded.getConditions().getExtra());
    }

    /** The same event as a v1 generic record: every field but truth. */
    private static GenericRecord asV1(Schema v1, CollisionEvent event) {
        Schema conditionsSchema = v1.getField("conditions").schema().getTypes().get(1);
        Schema objectsSchema = v1.getField("objects").schema().getTypes().get(1);
        Schema objectSchema = objectsSchema.getField("jets").schema().getElementType();
        GenericRecord conditions = new GenericData.Record(conditionsSchema);
        RunConditions c = event.getConditions();
        conditions.put("pileup", c.getPileup());
        conditions.put("instLumi", c.getInstLumi());
        conditions.put("detectorState", c.getDetectorState());
        conditions.put("extra", new HashMap<>(c.getExtra()));
        GenericRecord objects = new GenericData.Record(objectsSchema);
        TriggerObjects o = event.getObjects();
        objects.put("metPt", o.getMetPt());
        objects.put("metPhi", o.getMetPhi());
        for (String kind : List.of("egammas", "muons", "taus", "jets")) {
            List<PhysicsObject> list = switch (kind) {
                case "egammas" -> o.getEgammas();
                case "muons" -> o.getMuons();
                case "taus" -> o.getTaus();
                default -> o.getJets();
            };
            GenericData.Array<GenericRecord> array = new GenericData.Array<>(list.size(),
                    objectsSchema.getField(kind).schema());
            for (PhysicsObject p : list) {
                GenericRecord r = new GenericData.Record(objectSchema);
                r.put("pt", p.getPt());
                r.put("eta", p.getEta());
                r.put("phi", p.getPhi());
                array.add(r);
            }
            objects.put(kind, array);
        }
        GenericRecord record = new GenericData.Record(v1);
        record.put("run", event.getRun());
        record.put("lumisection", event.getLumisection());
        record.put("event", event.getEvent());
        record.put("timestampNanos", event.getTimestampNanos());
        record.put("bunchCrossing", event.getBunchCrossing());
        record.put("conditions", conditions);
        record.put("objects", objects);
        record.put("features", null);
        return record;
    }

    @Test
    void v1EventsDecodeToTheCurrentSchemaWithoutTruth() throws IOException {
        Schema v1 = v1Schema();
        assertNull(v1.getField("truth"));
        long v1Fingerprint = SchemaNormalization.parsingFingerprint64(v1);
        assertNotEquals(SchemaNormalization.parsingFingerprint64(CODEC.schema()), v1Fingerprint);
        BinaryMessageEncoder<GenericRecord> v1Encoder = new BinaryMessageEncoder<>(GenericData.get(), v1);
        int checked = 0;
        for (CollisionEvent event : simulated(200)) {
            event.getConditions().getExtra().put("hlt-menu", "2026v1.3");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            v1Encoder.encode(asV1(v1, event), out);
            byte[] bytes = out.toByteArray();
            assertEquals((byte) 0xC3, bytes[0]);
            assertEquals((byte) 0x01, bytes[1]);
            assertEquals(v1Fingerprint, fingerprintOf(bytes));
            CollisionEvent decoded = CODEC.decode(bytes, null);
            assertNull(decoded.getTruth());
            // Every other field is equal: the current event with truth null is the same record.
            assertEquals(event, decoded);
            assertEquals(event.getObjects().getJets(), decoded.getObjects().getJets());
            assertEquals("2026v1.3", decoded.getConditions().getExtra().get("hlt-menu"));
            checked++;
        }
        assertEquals(200, checked);
    }

    /** Every kind of bad bytes comes out as the one exception the processors catch. */
    private static void assertUndecodable(byte[] bytes) {
        UndecodableRecordException e = assertThrows(UndecodableRecordException.class, () -> CODEC.decode(bytes, null));
        assertTrue(e.getMessage().startsWith("not a CollisionEvent in Avro single-object encoding"), e.getMessage());
    }

    @Test
    void garbageTruncatedAndUnknownBytesThrow() {
        byte[] valid = CODEC.encode(simulated(1).get(0));
        assertTrue(valid.length > 40, "length " + valid.length);
        // Not a single-object header at all.
        assertUndecodable(new byte[] {0x12, 0x34, 0x56, 0x78, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08});
        assertUndecodable(new byte[0]);
        assertUndecodable("{\"run\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // A valid header, then the datum cut short.
        assertUndecodable(Arrays.copyOf(valid, valid.length - 5));
        assertUndecodable(Arrays.copyOf(valid, 10));
        assertUndecodable(Arrays.copyOf(valid, 5));
        // A fingerprint no registered schema has.
        byte[] unknown = valid.clone();
        unknown[5] ^= 0x5A;
        UndecodableRecordException missing = assertThrows(UndecodableRecordException.class,
                () -> CODEC.decode(unknown, null));
        assertTrue(missing.getMessage().contains("schema"), missing.getMessage());
        assertTrue(missing.getCause() instanceof AvroRuntimeException, String.valueOf(missing.getCause()));
    }

    @Test
    void encodeAndDecodeAreSafeAcrossThreads() throws Exception {
        List<CollisionEvent> events = simulated(400);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int same = 0;
                    for (CollisionEvent event : events) {
                        if (event.equals(CODEC.decode(CODEC.encode(event), null))) {
                            same++;
                        }
                    }
                    return same;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(400, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
