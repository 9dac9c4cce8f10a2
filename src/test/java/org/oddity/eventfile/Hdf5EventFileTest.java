package org.oddity.eventfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.eventfile.BadRowException.Reason;
import org.oddity.eventfile.ColumnMapping.TimestampUnit;

/**
 * The HDF5 reader on files written by h5py (see src/test/resources/replay/make_fixtures.py): a
 * compound dataset and a group of columns give the same events; broken files fail with the file
 * and the row.
 */
class Hdf5EventFileTest {

    private static final List<Float> F0 = List.of(0f, 1.5f, 3f, 4.5f, 6f, 7.5f);
    private static final List<Float> F1 = List.of(-0f, -0.25f, -0.5f, Float.NaN, -1f, -1.25f);
    private static final List<Float> F2 = List.of(0f, 10f, 20f, 30f, 40f, 50f);
    private static final List<Float> PILEUP = List.of(22.5f, 31f, 38.5f, 44f, 52.5f, 60f);

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(Hdf5EventFileTest.class.getResource("/replay/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ColumnMapping.Builder mapping(String dataset) {
        return ColumnMapping.builder().dataset(dataset)
                .runColumn("run").lumisectionColumn("lumi").eventColumn("event")
                .timestampColumn("time_s", TimestampUnit.SECONDS)
                .condition("pileup", "pileup").condition("detectorState", "state").condition("fill", "fill")
                .labelColumn("label");
    }

    private static List<CollisionEvent> readAll(Path file, ColumnMapping mapping, BadRows badRows, int blockRows)
            throws IOException {
        List<CollisionEvent> events = new ArrayList<>();
        try (Hdf5EventFile source = Hdf5EventFile.open(file, mapping, badRows, blockRows)) {
            source.forEachRemaining(events::add);
        }
        return events;
    }

    private static void assertFixtureEvents(List<CollisionEvent> events) {
        assertEquals(6, events.size());
        for (int i = 0; i < 6; i++) {
            CollisionEvent e = events.get(i);
            assertEquals(7L, e.getRun());
            assertEquals(1 + i / 2, e.getLumisection());
            assertEquals(100L + i, e.getEvent(), "file order");
            assertEquals(1_700_000_000_000_000_000L + i * 250_000_000L, e.getTimestampNanos());
            assertEquals(PILEUP.get(i), e.getConditions().getPileup());
            assertNull(e.getConditions().getInstLumi());
            assertEquals(i == 2 ? "ECAL_ENDCAP_OUT" : "ALL_IN", e.getConditions().getDetectorState());
            assertEquals(Map.of("fill", i < 3 ? "8001" : "8002"), e.getConditions().getExtra());
            assertEquals(List.of(F0.get(i), F1.get(i), F2.get(i)), e.getFeatures().getValues());
            assertEquals(i == 1 || i == 4 ? "signal" : null, e.getTruth());
            assertNull(e.getObjects());
        }
    }

    @Test
    void readsACompoundDatasetWithEveryRemainingNumericFieldAsAFeature() throws IOException {
        Path file = fixture("compound.h5");
        try (Hdf5EventFile source = Hdf5EventFile.open(file, mapping("/events").build(), BadRows.failing())) {
            List<String> names = List.of("f0", "f1", "f2");
            assertEquals(new FeatureLayout(FeatureLayout.derivedName(names), names), source.featureLayout().get(),
                    "the array field vec is not a column");
            assertEquals(6, source.knownRows());
            List<CollisionEvent> events = new ArrayList<>();
            source.forEachRemaining(events::add);
            assertFixtureEvents(events);
            assertEquals("row 5", source.position());
            assertEquals(6, source.rowsRead());
        }
        assertFixtureEvents(readAll(file, mapping(ColumnMapping.ROOT).build(), BadRows.failing(), 4));
        for (int blockRows : new int[] {1, 4, 1 << 15}) {
            assertFixtureEvents(readAll(file, mapping("/chunked/events").build(), BadRows.failing(), blockRows));
            assertFixtureEvents(readAll(file, mapping("/chunked").build(), BadRows.failing(), blockRows));
        }
    }

    @Test
    void readsAGroupOfColumnsAcrossChunksAndBlocks() throws IOException {
        Path file = fixture("group.h5");
        for (int blockRows : new int[] {1, 4, 1 << 15}) {
            assertFixtureEvents(readAll(file, mapping("/data").build(), BadRows.failing(), blockRows));
        }
        List<CollisionEvent> fromCompound = readAll(fixture("compound.h5"), mapping("/events").build(),
                BadRows.failing(), 1 << 15);
        assertEquals(fromCompound, readAll(file, mapping("/data").build(), BadRows.failing(), 4),
                "the same columns give the same events and layout, compound or group");
    }

    @Test
    void explicitFeatureColumnsMayBeIntegerOrText() throws IOException {
        ColumnMapping m = ColumnMapping.builder().dataset("/data").featureColumns(List.of("f2", "lumi", "pileup"))
                .constantCondition("detectorState", "ALL_IN").layout("my-layout").build();
        List<CollisionEvent> events = readAll(fixture("group.h5"), m, BadRows.failing(), 4);
        assertEquals(List.of(50f, 3f, 60f), events.get(5).getFeatures().getValues());
        assertEquals("my-layout", events.get(5).getFeatures().getLayout());
        assertEquals(6L, events.get(5).getEvent(), "generated event number: the row, counted from 1");
        assertEquals(1L, events.get(5).getRun());
    }

    @Test
    void textInANumberColumnNamesTheRowAndIsSkippedWhenAsked() throws IOException {
        Path file = fixture("group.h5");
        ColumnMapping m = mapping("/data").condition("pileup", "pileup_text").build();
        BadRowException e = assertThrows(BadRowException.class, () -> readAll(file, m, BadRows.failing(), 4));
        assertEquals(Reason.NOT_A_NUMBER, e.reason());
        assertEquals(file + ", row 2: column 'pileup_text': 'high' is not a number", e.getMessage());

        try (Hdf5EventFile source = Hdf5EventFile.open(file, m, BadRows.skipping(), 4)) {
            List<Long> ids = new ArrayList<>();
            source.forEachRemaining(event -> ids.add(event.getEvent()));
            assertEquals(List.of(100L, 101L, 103L, 104L, 105L), ids);
            assertEquals(Map.of(Reason.NOT_A_NUMBER, 1L), source.badRows().byReason());
            assertEquals(6, source.rowsRead());
        }
    }

    @Test
    void unreadableRowsAreNamedAndSkippedWhenAsked() throws IOException {
        // A damaged chunk of f0 makes the whole column unreadable, as chunked columns are read whole.
        Path file = fixture("corrupt_chunk.h5");
        BadRowException e = assertThrows(BadRowException.class,
                () -> readAll(file, mapping("/data").build(), BadRows.failing(), 4));
        assertEquals(Reason.MALFORMED, e.reason());
        assertTrue(e.getMessage().startsWith(file + ", rows 0 to 3: cannot be read: "), e.getMessage());

        try (Hdf5EventFile source = Hdf5EventFile.open(file, mapping("/data").build(), BadRows.skipping(), 4)) {
            assertFalse(source.hasNext());
            assertEquals(Map.of(Reason.MALFORMED, 6L), source.badRows().byReason());
            assertEquals(6, source.rowsRead());
        }
        ColumnMapping withoutF0 = mapping("/data").featureColumns(List.of("f1", "f2")).build();
        assertEquals(6, readAll(file, withoutF0, BadRows.failing(), 4).size(), "only the used columns are read");
    }

    @Test
    void aMissingDatasetOrColumnFailsAtOpenAndSaysWhatThereIs() {
        Path file = fixture("group.h5");
        EventFileException noDataset = assertThrows(EventFileException.class,
                () -> Hdf5EventFile.open(file, mapping("/events").build(), BadRows.failing()));
        assertEquals(file + " has no dataset or group /events; the file's top level holds: data (group)",
                noDataset.getMessage());

        MissingColumnException noColumn = assertThrows(MissingColumnException.class, () -> Hdf5EventFile.open(file,
                mapping("/data").condition("instLumi", "lumi_1e34").build(), BadRows.failing()));
        assertEquals(file + " has no column 'lumi_1e34' (mapped as condition instLumi); its columns: event, f0, f1,"
                + " f2, fill, label, lumi, pileup, pileup_text, run, state, time_s", noColumn.getMessage());

        EventFileException notATable = assertThrows(EventFileException.class,
                () -> Hdf5EventFile.open(file, mapping("/data/meta/version").build(), BadRows.failing()));
        assertEquals(file + ": /data/meta/version is a 0-D dataset, not a table: give a 1-D compound dataset, a 2-D"
                + " dataset with column names, a group of 1-D datasets or a pandas store", notATable.getMessage());

        EventFileException emptyGroup = assertThrows(EventFileException.class,
                () -> Hdf5EventFile.open(file, mapping("/data/meta").build(), BadRows.failing()));
        assertEquals(file + ": /data/meta holds no table (a 1-D compound dataset, 1-D datasets as columns, a 2-D"
                + " dataset with column names, or a pandas store); it holds: version (0-D dataset)",
                emptyGroup.getMessage());
    }

    @Test
    void columnsOfDifferentLengthsAreRefused() {
        Path file = fixture("mismatched.h5");
        EventFileException e = assertThrows(EventFileException.class, () -> Hdf5EventFile.open(file,
                ColumnMapping.builder().dataset("/data").build(), BadRows.failing()));
        assertEquals(file + ": the columns of /data differ in length: 'a' has 6 rows, 'b' has 5", e.getMessage());
    }

    @Test
    void aTruncatedFileIsRefusedAtOpen() throws IOException {
        byte[] whole = Files.readAllBytes(fixture("group.h5"));
        for (int length : new int[] {whole.length - 1, whole.length / 2, 3000}) {
            Path cut = dir.resolve("cut-" + length + ".h5");
            Files.write(cut, Arrays.copyOf(whole, length));
            EventFileException e = assertThrows(EventFileException.class,
                    () -> Hdf5EventFile.open(cut, mapping("/data").build(), BadRows.skipping()));
            assertEquals(cut + " is truncated: its HDF5 superblock says the file ends at byte " + whole.length
                    + ", but it has " + length + " bytes", e.getMessage());
        }
    }

    @Test
    void aFileThatIsNotHdf5IsRefusedAtOpen() throws IOException {
        Path text = dir.resolve("events.h5");
        Files.writeString(text, "run,event\n1,2\n");
        EventFileException e = assertThrows(EventFileException.class,
                () -> Hdf5EventFile.open(text, mapping("/data").build(), BadRows.failing()));
        assertTrue(e.getMessage().startsWith(text + " is not a readable HDF5 file (14 bytes): "), e.getMessage());

        Path stub = dir.resolve("stub.h5");
        Files.write(stub, Arrays.copyOf(Files.readAllBytes(fixture("group.h5")), 40));
        EventFileException tiny = assertThrows(EventFileException.class,
                () -> Hdf5EventFile.open(stub, mapping("/data").build(), BadRows.failing()));
        assertFalse(tiny.getMessage().isBlank());
        assertTrue(tiny.getMessage().startsWith(stub.toString()), tiny.getMessage());
    }
}
