package org.oddity.eventfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.eventfile.BadRowException.Reason;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;

/** The Avro reader: order, and files cut short, damaged in the middle, not Avro, or of another record type. */
class AvroEventFileTest {

    private static final int EVENTS = 600;

    @TempDir
    Path dir;

    private List<CollisionEvent> written;
    private List<Long> blockEnds;
    private Path file;

    /** Writes simulated events in small blocks, remembering where each block ends. */
    @BeforeEach
    void writeFile() throws IOException {
        file = dir.resolve("events.avro");
        written = new ArrayList<>();
        blockEnds = new ArrayList<>();
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(EVENTS, 3600), 5);
        try (DataFileWriter<CollisionEvent> writer =
                new DataFileWriter<>(new SpecificDatumWriter<>(CollisionEvent.class))) {
            writer.create(CollisionEvent.getClassSchema(), file.toFile());
            for (int i = 0; i < EVENTS; i++) {
                CollisionEvent event = simulator.next();
                written.add(event);
                writer.append(event);
                if (i % 100 == 99) {
                    blockEnds.add(writer.sync());
                }
            }
        }
        assertEquals(6, blockEnds.size());
        assertEquals(Files.size(file), blockEnds.get(5));
    }

    private static List<CollisionEvent> readAll(Path path, BadRows badRows) throws IOException {
        List<CollisionEvent> events = new ArrayList<>();
        try (AvroEventFile source = AvroEventFile.open(path, badRows)) {
            source.forEachRemaining(events::add);
        }
        return events;
    }

    private Path cut(long length) throws IOException {
        Path out = dir.resolve("cut-" + length + ".avro");
        Files.write(out, Arrays.copyOf(Files.readAllBytes(file), Math.toIntExact(length)));
        return out;
    }

    @Test
    void readsEveryEventInOrder() throws IOException {
        try (AvroEventFile source = AvroEventFile.open(file)) {
            List<CollisionEvent> events = new ArrayList<>();
            source.forEachRemaining(events::add);
            assertEquals(written, events);
            assertEquals("record " + (EVENTS - 1), source.position());
            assertEquals(EVENTS, source.rowsRead());
            assertFalse(source.featureLayout().isPresent(), "Avro events carry trigger objects");
        }
    }

    @Test
    void bytesReadFollowTheBlocksUpToTheFileSize() throws IOException {
        try (AvroEventFile source = AvroEventFile.open(file)) {
            assertEquals(Files.size(file), source.knownBytes());
            assertEquals(0, source.knownRows(), "the progress bar measures bytes when rows are not known");
            long last = 0;
            for (int i = 1; source.hasNext(); i++) {
                source.next();
                long read = source.bytesRead();
                assertTrue(read >= last && read <= source.knownBytes(), read + " after " + last);
                if (i == EVENTS / 2) {
                    // Half the records read: the start of the fourth block, or the third's before reading ahead.
                    assertTrue(read >= blockEnds.get(1) && read <= blockEnds.get(2), read + " at half");
                }
                last = read;
            }
            assertEquals(source.knownBytes(), source.bytesRead(), "past the last block at the end");
        }
    }

    @Test
    void aFileCutInsideABlockIsTruncatedAfterItsWholeBlocks() throws IOException {
        Path truncated = cut(blockEnds.get(3) + 50);
        BadRowException e = assertThrows(BadRowException.class, () -> readAll(truncated, BadRows.failing()));
        assertEquals(Reason.TRUNCATED, e.reason(), e.getMessage());
        assertEquals(truncated + ", after record 399: the file ends inside the block at byte " + blockEnds.get(3)
                + ", whose records are lost", e.getMessage());

        try (AvroEventFile source = AvroEventFile.open(truncated, BadRows.skipping())) {
            List<CollisionEvent> events = new ArrayList<>();
            source.forEachRemaining(events::add);
            assertEquals(written.subList(0, 400), events);
            assertEquals(Map.of(Reason.TRUNCATED, 1L), source.badRows().byReason());
        }
        assertEquals(written.subList(0, 200), readAll(cut(blockEnds.get(1)), BadRows.failing()),
                "a file cut between blocks is a shorter file");
    }

    @Test
    void aDamagedBlockIsNamedAndSkippedUpToTheNextSyncMarker() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long start = blockEnds.get(1);
        // Garbage where the third block's record count and size should be.
        Arrays.fill(bytes, (int) start, (int) start + 12, (byte) 0xff);
        Path damaged = dir.resolve("damaged.avro");
        Files.write(damaged, bytes);

        BadRowException e = assertThrows(BadRowException.class, () -> readAll(damaged, BadRows.failing()));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().startsWith(damaged + ", the block at byte " + start + ": is corrupt ("),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("); last good: record 199"), e.getMessage());

        try (AvroEventFile source = AvroEventFile.open(damaged, BadRows.skipping())) {
            List<CollisionEvent> events = new ArrayList<>();
            source.forEachRemaining(events::add);
            List<CollisionEvent> expected = new ArrayList<>(written.subList(0, 200));
            expected.addAll(written.subList(300, EVENTS));
            assertEquals(expected, events, "every other block comes through, in order");
            assertEquals(Map.of(Reason.MALFORMED, 1L), source.badRows().byReason());
        }
    }

    @Test
    void aFileThatIsNotAvroIsRefusedAtOpen() throws IOException {
        Path text = dir.resolve("events.avro");
        Files.writeString(text, "run,event\n1,2\n");
        EventFileException e = assertThrows(EventFileException.class, () -> AvroEventFile.open(text));
        assertTrue(e.getMessage().startsWith(text + " is not a readable Avro container file: "), e.getMessage());

        Path headerCut = cut(20);
        assertThrows(EventFileException.class, () -> AvroEventFile.open(headerCut));
    }

    @Test
    void aFileOfAnotherRecordTypeIsRefusedAtOpen() throws IOException {
        Schema other = SchemaBuilder.record("Reading").namespace("lab").fields()
                .requiredString("sensor").requiredDouble("value").endRecord();
        Path readings = dir.resolve("readings.avro");
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(other))) {
            writer.create(other, readings.toFile());
            GenericRecord r = new GenericData.Record(other);
            r.put("sensor", "t1");
            r.put("value", 1.5);
            writer.append(r);
        }
        EventFileException e = assertThrows(EventFileException.class, () -> AvroEventFile.open(readings));
        assertTrue(e.getMessage().startsWith(readings + " holds Reading records, which cannot be read as"
                + " CollisionEvent: "), e.getMessage());
    }
}
