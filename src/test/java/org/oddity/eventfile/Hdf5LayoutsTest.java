package org.oddity.eventfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;

/**
 * The HDF5 layouts pandas, PyTables and h5py write (see src/test/resources/hdf5/make_files.py):
 * each gives the same four events with the same column names, compressed or not.
 */
class Hdf5LayoutsTest {

    private static final List<Long> RUN = List.of(7L, 7L, 7L, 8L);
    private static final List<List<Float>> FEATURES = List.of(List.of(1.5f, 0f), List.of(2.25f, 0.125f),
            List.of(-0.5f, -2.5f), List.of(40f, 1f));
    private static final List<String> STATE = List.of("ALL_IN", "ALL_IN", "ECAL_OUT", "ALL_IN");

    static Path file(String name) {
        try {
            return Path.of(Hdf5LayoutsTest.class.getResource("/hdf5/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ColumnMapping.Builder mapping(String dataset) {
        return ColumnMapping.builder().dataset(dataset).runColumn("run").eventColumn("event");
    }

    private static List<CollisionEvent> read(String name, ColumnMapping.Builder builder, List<String> columns)
            throws IOException {
        Path file = file(name);
        ColumnMapping mapping = builder.build();
        List<CollisionEvent> events = new ArrayList<>();
        for (int blockRows : new int[] {1, 3, 1 << 15}) {
            events.clear();
            try (Hdf5EventFile source = Hdf5EventFile.open(file, mapping, BadRows.failing(), blockRows)) {
                List<String> features = List.of("pt", "eta");
                assertEquals(new FeatureLayout(FeatureLayout.derivedName(features), features),
                        source.featureLayout().get(), name);
                source.forEachRemaining(events::add);
            }
            assertEquals(4, events.size(), name);
            for (int i = 0; i < 4; i++) {
                CollisionEvent e = events.get(i);
                assertEquals(RUN.get(i), e.getRun(), name);
                assertEquals(100L + i, e.getEvent(), name);
                assertEquals(FEATURES.get(i), e.getFeatures().getValues(), name);
            }
        }
        MissingColumnException missing = assertThrows(MissingColumnException.class, () -> Hdf5EventFile.open(file,
                builder.condition("instLumi", "nope").build(), BadRows.failing()));
        assertEquals(file + " has no column 'nope' (mapped as condition instLumi); its columns: "
                + String.join(", ", columns), missing.getMessage(), "the column names, in the writer's order");
        return events;
    }

    @Test
    void readsPandasFixedStoresOfSeveralBlocks() throws IOException {
        List<String> columns = List.of("run", "event", "pt", "eta");
        read("pandas_fixed.h5", mapping("/events"), columns);
        read("pandas_fixed.h5", mapping(ColumnMapping.ROOT), columns);
        read("pandas_fixed_gzip.h5", mapping("/events"), columns);
    }

    @Test
    void readsPandasTableStoresWithTextColumns() throws IOException {
        List<String> columns = List.of("run", "event", "pt", "eta", "state");
        for (String name : List.of("pandas_table.h5", "pandas_table_columns.h5")) {
            for (String dataset : List.of("/events", "/events/table", ColumnMapping.ROOT)) {
                List<CollisionEvent> events = read(name,
                        mapping(dataset).condition("detectorState", "state"), columns);
                for (int i = 0; i < 4; i++) {
                    assertEquals(STATE.get(i), events.get(i).getConditions().getDetectorState(), name);
                }
            }
        }
    }

    @Test
    void readsA2dDatasetNamedByADatasetBesideIt() throws IOException {
        for (String name : List.of("matrix.h5", "matrix_gzip.h5", "matrix_shuffle_gzip.h5", "matrix_lzf.h5")) {
            read(name, mapping("/features"), List.of("run", "event", "pt", "eta"));
            List<CollisionEvent> events = read(name, mapping(ColumnMapping.ROOT).labelColumn("label"),
                    List.of("run", "event", "pt", "eta", "label"));
            assertEquals(Arrays.asList(null, "signal", null, null), events.stream().map(CollisionEvent::getTruth)
                    .toList(), "the 1-D datasets of as many rows beside it are columns too");
        }
    }

    @Test
    void aFilterJhdfCannotDecodeIsNamedWithTheDataset() {
        Path file = file("pandas_blosc.h5");
        EventFileException e = assertThrows(EventFileException.class,
                () -> Hdf5EventFile.open(file, mapping("/events").build(), BadRows.failing()));
        assertEquals(file + ": dataset /events/table is compressed with HDF5 filter 'blosc' (id 32001), which jHDF"
                + " cannot decode; write it with gzip (pandas complib='zlib'), lzf or no compression", e.getMessage());
    }

    @Test
    void aGroupOfNoKnownLayoutListsWhatItHolds() {
        Path file = file("unknown_layout.h5");
        EventFileException e = assertThrows(EventFileException.class,
                () -> Hdf5EventFile.open(file, mapping("/stuff").build(), BadRows.failing()));
        assertEquals(file + ": /stuff holds no table (a 1-D compound dataset, 1-D datasets as columns, a 2-D"
                + " dataset with column names, or a pandas store); it holds: image (3-D dataset), nested (group)",
                e.getMessage());
    }

    @Test
    void a2dDatasetWithoutNamesSaysWhereToPutThem() {
        Path file = Hdf5EventFileTest.fixture("group.h5");
        EventFileException e = assertThrows(EventFileException.class,
                () -> Hdf5EventFile.open(file, mapping("/data/matrix").build(), BadRows.failing()));
        assertEquals(file + ": /data/matrix is a 2-D dataset of 3 columns without names: put them in a 1-D string"
                + " dataset matrix_names or feature_names beside it, or in an attribute 'columns'", e.getMessage());
    }
}
