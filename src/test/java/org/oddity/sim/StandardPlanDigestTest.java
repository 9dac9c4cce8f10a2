package org.oddity.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;

/**
 * Standard plans must keep producing the events they produced before signals and faults existed: demos, trained
 * bundles and tests rely on them. The digests were computed from the simulator as it was before that change.
 */
class StandardPlanDigestTest {

    /** SHA-256 over the Avro binary encodings of all events of the plan, in order. */
    private static String digest(long events, double fillSeconds, long seed) throws Exception {
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(events, fillSeconds), seed);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        SpecificDatumWriter<CollisionEvent> writer = new SpecificDatumWriter<>(CollisionEvent.class);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = null;
        while (simulator.hasNext()) {
            bytes.reset();
            encoder = EncoderFactory.get().directBinaryEncoder(bytes, encoder);
            writer.write(simulator.next(), encoder);
            encoder.flush();
            sha256.update(bytes.toByteArray());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    @Test
    void standardPlansProduceTheEventsTheyAlwaysDid() throws Exception {
        assertEquals("00696ea1a303f2f6f22713e40c0956bf37cf471cb8f541aef5a1be7bcdf6f7cd", digest(50_000, 3600, 1));
        assertEquals("a58d771ee42ea617a6b06cd8603135de7745c87424bb66588442d70f18ae007d", digest(20_000, 36_000, 7));
        assertEquals("4a9ad804b624466f9e6cee03993f4d88a4532b56bb87313b9dedc3a86c7c802e", digest(100_000, 1800, 42));
    }
}
