package org.oddity.eventfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.eventfile.BadRowException.Reason;
import org.oddity.eventfile.ColumnMapping.TimestampUnit;

/** The CSV reader: every column mapping, order, quoting, and each kind of malformed input with its line. */
class CsvEventFileTest {

    private static final long OPENED_AT = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        Path file = dir.resolve("events.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static ColumnMapping.Builder fullMapping() {
        return ColumnMapping.builder()
                .runColumn("run").lumisectionColumn("lumi").eventColumn("event")
                .timestampColumn("ts", TimestampUnit.NANOSECONDS)
                .condition("pileup", "pu").condition("detectorState", "state").condition("fill", "fill")
                .featureColumns(List.of("met", "jet_pt"))
                .labelColumn("label");
    }

    private static List<CollisionEvent> readAll(Path file, ColumnMapping mapping, BadRows badRows) throws IOException {
        List<CollisionEvent> events = new ArrayList<>();
        try (CsvEventFile source = CsvEventFile.open(file, mapping, badRows)) {
            source.forEachRemaining(events::add);
        }
        return events;
    }

    private static List<Float> features(CollisionEvent e) {
        return e.getFeatures().getValues();
    }

    @Test
    void mapsEveryColumnAndKeepsTheFileOrder() throws IOException {
        Path file = csv("""
                run,lumi,event,ts,pu,state,fill,jet_pt,met,label
                355100,12,9001,1700000000000000001,31.5,ALL_IN,8123,45.25,12.5,
                355100,12,9000,1700000000000000002,31.5,ECAL_ENDCAP_OUT,8123,101,-0.5,signal
                355101,13,7,1700000000000000003,,,,0,1e3,"fault, hot ""tower"" 7"
                """);
        List<CollisionEvent> events = readAll(file, fullMapping().build(), BadRows.failing());
        assertEquals(3, events.size());

        CollisionEvent first = events.get(0);
        assertEquals(355100L, first.getRun());
        assertEquals(12, first.getLumisection());
        assertEquals(9001L, first.getEvent());
        assertEquals(1_700_000_000_000_000_001L, first.getTimestampNanos());
        assertEquals(0, first.getBunchCrossing());
        assertEquals(31.5f, first.getConditions().getPileup());
        assertNull(first.getConditions().getInstLumi());
        assertEquals("ALL_IN", first.getConditions().getDetectorState());
        assertEquals(Map.of("fill", "8123"), first.getConditions().getExtra());
        assertEquals(List.of(12.5f, 45.25f), features(first), "features in --feature-columns order");
        assertNull(first.getTruth(), "an empty label is no label");
        assertNull(first.getObjects());

        assertEquals(9000L, events.get(1).getEvent(), "file order, not event-number order");
        assertEquals("signal", events.get(1).getTruth());
        assertEquals("ECAL_ENDCAP_OUT", events.get(1).getConditions().getDetectorState());
        assertEquals(List.of(-0.5f, 101f), features(events.get(1)));

        CollisionEvent third = events.get(2);
        assertNull(third.getConditions().getPileup(), "an empty condition cell is a missing condition");
        assertNull(third.getConditions().getDetectorState());
        assertEquals(Map.of(), third.getConditions().getExtra());
        assertEquals(List.of(1000f, 0f), features(third));
        assertEquals("fault, hot \"tower\" 7", third.getTruth());

        String layout = FeatureLayout.derivedName(List.of("met", "jet_pt"));
        assertTrue(layout.matches("table:[0-9a-f]{12}"), layout);
        assertTrue(events.stream().allMatch(e -> e.getFeatures().getLayout().equals(layout)));
    }

    @Test
    void bytesReadGrowWithTheRowsUpToTheFileSize() throws IOException {
        StringBuilder text = new StringBuilder("x,y\n");
        for (int i = 0; i < 50_000; i++) {
            text.append(i).append(",0.25\n");
        }
        Path file = csv(text.toString());
        try (CsvEventFile source = CsvEventFile.open(file, ColumnMapping.builder().build(), BadRows.failing())) {
            assertEquals(Files.size(file), source.knownBytes());
            source.next();
            // The decoder reads ahead in buffers of some kilobytes: a share of a file of half a megabyte.
            assertTrue(source.bytesRead() > 0 && source.bytesRead() < source.knownBytes() / 4,
                    source.bytesRead() + " of " + source.knownBytes() + " after one row");
            source.forEachRemaining(event -> { });
            assertEquals(source.knownBytes(), source.bytesRead());
        }
    }

    @Test
    void generatesMissingIdsAndTakesConstantConditionsAndEveryRemainingNumericColumn() throws IOException {
        Path file = csv("""
                ,jet_pt,comment,jet_eta,met
                0,45.25,first,0.5,12.5
                1,101,second,-1.25,nan
                2,7,third,inf,-INF
                """);
        ColumnMapping mapping = ColumnMapping.builder().defaultRun(5).fallbackTimestampNanos(OPENED_AT)
                .constantCondition("detectorState", "ALL_IN").constantCondition("pileup", "30")
                .constantCondition("campaign", "2018D").build();
        List<String> names = List.of("jet_pt", "jet_eta", "met");
        try (CsvEventFile source = CsvEventFile.open(file, mapping, BadRows.failing())) {
            assertEquals(new FeatureLayout(FeatureLayout.derivedName(names), names), source.featureLayout().get(),
                    "pandas' unnamed index column and the text column are not features");
            List<CollisionEvent> events = new ArrayList<>();
            source.forEachRemaining(events::add);
            assertEquals(List.of(1L, 2L, 3L), events.stream().map(CollisionEvent::getEvent).toList());
            for (CollisionEvent e : events) {
                assertEquals(5L, e.getRun());
                assertEquals(1, e.getLumisection());
                assertEquals(OPENED_AT, e.getTimestampNanos());
                assertEquals(30f, e.getConditions().getPileup());
                assertEquals("ALL_IN", e.getConditions().getDetectorState());
                assertEquals(Map.of("campaign", "2018D"), e.getConditions().getExtra());
            }
            assertEquals(List.of(45.25f, 0.5f, 12.5f), features(events.get(0)));
            assertEquals(List.of(101f, -1.25f, Float.NaN), features(events.get(1)), "non-finite values pass");
            assertEquals(List.of(7f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY), features(events.get(2)));
            assertEquals("line 4", source.position());
            assertEquals(3, source.rowsRead());
        }
    }

    @Test
    void readsSecondsExactlyAndIntegersWrittenAsFloats() throws IOException {
        Path file = csv("run,t,x\r\n12.0,1700000000.123456789,1\r\n13,1.7e9,2\r\n");
        ColumnMapping mapping = ColumnMapping.builder().runColumn("run").timestampColumn("t", TimestampUnit.SECONDS)
                .build();
        List<CollisionEvent> events = readAll(file, mapping, BadRows.failing());
        assertEquals(12L, events.get(0).getRun());
        assertEquals(1_700_000_000_123_456_789L, events.get(0).getTimestampNanos());
        assertEquals(1_700_000_000_000_000_000L, events.get(1).getTimestampNanos());
    }

    @Test
    void quotedFieldsMayHoldLineBreaksAndLinesAreStillCounted() throws IOException {
        Path file = csv("\uFEFFx,label\n1,\"two\nlines\"\n2,ok\n3,bad,extra\n");
        BadRowException e = assertThrows(BadRowException.class, () ->
                readAll(file, ColumnMapping.builder().labelColumn("label").build(), BadRows.failing()));
        assertEquals(file + ", line 5: 3 columns, the header has 2", e.getMessage());
        List<CollisionEvent> events = readAll(file, ColumnMapping.builder().labelColumn("label").build(),
                BadRows.skipping());
        assertEquals("two\nlines", events.get(0).getTruth());
        assertEquals(List.of(1L, 2L), events.stream().map(CollisionEvent::getEvent).toList());
    }

    @Test
    void wrongColumnCountNamesTheLine() throws IOException {
        Path file = csv("a,b,c\n1,2,3\n4,5\n");
        BadRowException e = assertThrows(BadRowException.class,
                () -> readAll(file, ColumnMapping.builder().build(), BadRows.failing()));
        assertEquals(Reason.WRONG_COLUMN_COUNT, e.reason());
        assertEquals("line 3", e.position());
        assertEquals(file + ", line 3: 2 columns, the header has 3", e.getMessage());
    }

    @Test
    void textInANumberColumnNamesTheLineAndTheColumn() throws IOException {
        Path file = csv("run,pt,eta\n1,2.5,0.1\n1,2.5,0.2\n1,abc,0.3\n");
        BadRowException e = assertThrows(BadRowException.class,
                () -> readAll(file, ColumnMapping.builder().runColumn("run").build(), BadRows.failing()));
        assertEquals(Reason.NOT_A_NUMBER, e.reason());
        assertEquals(file + ", line 4: column 'pt': 'abc' is not a number", e.getMessage());

        Path ids = csv("run,pt\n1.5,2\n");
        BadRowException notInteger = assertThrows(BadRowException.class,
                () -> readAll(ids, ColumnMapping.builder().runColumn("run").build(), BadRows.failing()));
        assertEquals(ids + ", line 2: column 'run': '1.5' is not an integer", notInteger.getMessage());

        Path suffix = csv("pt\n1.5f\n");
        assertThrows(BadRowException.class, () -> readAll(suffix, ColumnMapping.builder()
                .featureColumns(List.of("pt")).build(), BadRows.failing()), "a Java float suffix is a typo");
    }

    @Test
    void aMissingMappedColumnFailsAtOpenAndListsTheColumns() throws IOException {
        Path file = csv("run,pt,eta\n1,2,3\n");
        MissingColumnException e = assertThrows(MissingColumnException.class, () -> CsvEventFile.open(file,
                ColumnMapping.builder().condition("pileup", "pu").build(), BadRows.failing()));
        assertEquals(file + " has no column 'pu' (mapped as condition pileup); its columns: run, pt, eta",
                e.getMessage());
        MissingColumnException feature = assertThrows(MissingColumnException.class, () -> CsvEventFile.open(file,
                ColumnMapping.builder().featureColumns(List.of("pt", "phi")).build(), BadRows.failing()));
        assertTrue(feature.getMessage().contains("no column 'phi' (mapped as feature)"), feature.getMessage());
    }

    @Test
    void aFileCutMidRowIsTruncated() throws IOException {
        Path file = csv("a,b,c,d\n1,2,3,4\n5,6,7,8\n9,10");
        BadRowException e = assertThrows(BadRowException.class,
                () -> readAll(file, ColumnMapping.builder().build(), BadRows.failing()));
        assertEquals(Reason.TRUNCATED, e.reason());
        assertEquals(file + ", line 4: the file ends mid-row, after 2 of 4 columns", e.getMessage());

        Path quoted = csv("a,label\n1,ok\n2,\"cut inside a quo");
        BadRowException inQuotes = assertThrows(BadRowException.class,
                () -> readAll(quoted, ColumnMapping.builder().labelColumn("label").build(), BadRows.failing()));
        assertEquals(Reason.TRUNCATED, inQuotes.reason());
        assertEquals(quoted + ", line 3: the file ends inside the quoted field 2 that starts on this line",
                inQuotes.getMessage());

        Path complete = csv("a,b\n1,2\n3,4");
        assertEquals(2, readAll(complete, ColumnMapping.builder().build(), BadRows.failing()).size(),
                "a last row with every field needs no line break");
    }

    @Test
    void anEmptyFileFailsAtOpenAndAHeaderOnlyFileHasNoEvents() throws IOException {
        Path empty = csv("");
        EventFileException e = assertThrows(EventFileException.class,
                () -> CsvEventFile.open(empty, ColumnMapping.builder().build(), BadRows.failing()));
        assertEquals(empty + " is empty: a CSV event file starts with a header row", e.getMessage());

        Path headerOnly = csv("pt,eta\n");
        try (CsvEventFile source = CsvEventFile.open(headerOnly, ColumnMapping.builder().build(), BadRows.failing())) {
            assertFalse(source.hasNext());
            assertEquals(0, source.rowsRead());
            assertEquals(List.of("pt", "eta"), source.featureLayout().get().featureNames());
        }
    }

    @Test
    void duplicateColumnNamesAreRefused() throws IOException {
        Path file = csv("pt,eta,pt\n1,2,3\n");
        EventFileException e = assertThrows(EventFileException.class,
                () -> CsvEventFile.open(file, ColumnMapping.builder().build(), BadRows.failing()));
        assertEquals(file + ": column 'pt' appears twice (columns 1 and 3)", e.getMessage());
    }

    @Test
    void skipBadCountsEachReasonAndKeepsTheGoodRowsInOrder() throws IOException {
        Path file = csv("""
                pt,eta,label
                1,0.1,a
                2,0.2
                3,x,b
                4,0.4,"c"d
                5,0.5,e

                6,0.6,f,extra
                7,0.7,g
                8,0.8""");
        try (CsvEventFile source = CsvEventFile.open(file, ColumnMapping.builder().labelColumn("label").build(),
                BadRows.skipping())) {
            List<CollisionEvent> events = new ArrayList<>();
            source.forEachRemaining(events::add);
            assertEquals(List.of("a", "e", "g"), events.stream().map(CollisionEvent::getTruth).toList());
            assertEquals(List.of(1L, 5L, 7L), events.stream().map(CollisionEvent::getEvent).toList(),
                    "generated event numbers are data rows, bad ones included");
            assertEquals(List.of(List.of(1f, 0.1f), List.of(5f, 0.5f), List.of(7f, 0.7f)),
                    events.stream().map(CsvEventFileTest::features).toList());
            assertEquals(Map.of(Reason.WRONG_COLUMN_COUNT, 2L, Reason.NOT_A_NUMBER, 1L, Reason.MALFORMED, 1L,
                    Reason.TRUNCATED, 1L), source.badRows().byReason());
            assertEquals(5, source.badRows().total());
            assertEquals(8, source.rowsRead());
            assertEquals("line 9", source.position(), "where the last event came from");
        }
    }

    @Test
    void aBadFirstRowStopsAtOpenUnlessSkipped() throws IOException {
        Path file = csv("pt,eta\n1\n2,0.2\n");
        BadRowException e = assertThrows(BadRowException.class,
                () -> CsvEventFile.open(file, ColumnMapping.builder().build(), BadRows.failing()));
        assertEquals("line 2", e.position());
        List<CollisionEvent> events = readAll(file, ColumnMapping.builder().build(), BadRows.skipping());
        assertEquals(1, events.size());
        assertEquals(2L, events.get(0).getEvent());
    }
}
