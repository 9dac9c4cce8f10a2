package org.oddity.eventfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.Scenario;
import org.oddity.sim.SimulationPlan;

/** Container files written here are standard: Avro's generic reader gets the same events back. */
class AvroEventFileWriterTest {

    @Test
    void everyCodecRoundTripsThroughTheGenericReader(@TempDir Path dir) throws Exception {
        SimulationPlan plan = Scenario.parse("""
                fills: [{duration: 600}]
                signals: [{kind: A_4l, probability: 0.1}]
                faults: [{kind: noisy-met, start: 100, end: 200}]
                """).plan(5_000);
        List<CollisionEvent> events = new ArrayList<>();
        new DaqSimulator(plan, 3).forEachRemaining(events::add);
        for (String codec : AvroEventFileWriter.CODECS) {
            Path file = dir.resolve(codec + ".avro");
            try (AvroEventFileWriter writer = AvroEventFileWriter.create(file, codec, Map.of("oddity.seed", "3"))) {
                for (CollisionEvent event : events) {
                    writer.append(event);
                }
                assertEquals(5_000, writer.count());
            }
            try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(),
                    new GenericDatumReader<>())) {
                assertEquals(CollisionEvent.getClassSchema(), reader.getSchema());
                assertEquals(codec, reader.getMetaString("avro.codec") == null ? "null"
                        : reader.getMetaString("avro.codec"));
                assertEquals("3", reader.getMetaString("oddity.seed"));
                int i = 0;
                for (GenericRecord record : reader) {
                    // The generic record prints as the same JSON as the specific one it came from.
                    assertEquals(events.get(i).toString(), record.toString(), codec + " record " + i);
                    i++;
                }
                assertEquals(5_000, i);
            }
        }
    }

    @Test
    void unknownCodecIsRefused(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> AvroEventFileWriter.create(dir.resolve("x.avro"), "lz77", Map.of()));
    }
}
