package org.oddity.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.BundleWriter;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.Sha256;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CellScheme;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.fixtures.SwapBundles;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.monitor.PValueGrid;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.Strata;
import org.oddity.score.hbos.HbosTrainer;

/**
 * Calibrating a trained bundle with more held-out background: the result verifies and keeps the
 * model version and every parameter file, every cell grows by exactly the events routed to it
 * (scored through the bundle's preprocessing, as scoring does), the merged p-values are those of
 * the union of old and new sets, {@code replace} keeps only the new sets, an in-place rewrite
 * swaps the whole directory, and a changed bundle file or a non-empty target is refused.
 */
class BundleCalibratorTest {

    private static final CellScheme CELLS = SwapBundles.settings(Map.of()).calibration().cells();
    private static final int EVENTS = 6_000;
    private static final long EVENT_SEED = 4_242;

    @TempDir
    static Path shared;

    private static Path trained;

    @TempDir
    Path dir;

    /** An HBOS bundle with log-pt and standardize preprocessing, calibrated on 10,000 events. */
    @BeforeAll
    static void train() throws IOException {
        trained = shared.resolve("trained");
        new ModelTrainer("calibrate-hbos", new L1ObjectsExtractor(), null, CELLS, new HbosTrainer(40, 0.999),
                "log-pt,standardize").train(TrainedBundle.events(5_000, 1), TrainedBundle.events(10_000, 2), trained,
                Progress.NONE);
    }

    private static Path copyOfTrained(Path target) throws IOException {
        try (Stream<Path> walk = Files.walk(trained)) {
            for (Path source : walk.toList()) {
                Files.copy(source, target.resolve(trained.relativize(source).toString()));
            }
        }
        return target;
    }

    /** The sets the calibration events give, built here by hand: finest cell, then every coarser one. */
    private static Map<String, CalibrationSet> expectedNewSets(ModelBundle bundle) {
        FeatureExtractor extractor = bundle.newExtractor();
        float[] x = new float[extractor.featureNames().size()];
        Map<String, List<Double>> scores = new TreeMap<>();
        for (var events = TrainedBundle.events(EVENTS, EVENT_SEED); events.hasNext();) {
            CollisionEvent event = events.next();
            int finest = CELLS.finestCellOf(event.getConditions());
            try {
                extractor.extract(event, x);
            } catch (InvalidEventException e) {
                continue;
            }
            double score = bundle.scorer().score(x);
            for (int level = 0; level < CELLS.levels(); level++) {
                scores.computeIfAbsent(CELLS.cellName(level, CELLS.cellAt(level, finest)), c -> new ArrayList<>())
                        .add(score);
            }
        }
        Map<String, CalibrationSet> sets = new TreeMap<>();
        scores.forEach((cell, list) -> sets.put(cell, CalibrationSet.of(list.stream().mapToDouble(d -> d).toArray())));
        return sets;
    }

    private static BundleCalibrator.Result calibrate(ModelBundle bundle, Path target, boolean replace)
            throws IOException, InvalidBundleException {
        BundleCalibrator calibrator = new BundleCalibrator(bundle, CELLS);
        calibrator.add(TrainedBundle.events(EVENTS, EVENT_SEED), Progress.NONE);
        assertEquals(EVENTS, calibrator.collected() + calibrator.rejected());
        return calibrator.write(target, replace);
    }

    @Test
    void mergedCalibrationGrowsEveryCellByItsEventsAndKeepsTheModel() throws Exception {
        ModelBundle before = BundleReader.read(trained);
        Map<String, CalibrationSet> added = expectedNewSets(before);
        Path output = dir.resolve("more");
        BundleCalibrator.Result result = calibrate(before, output, false);
        ModelBundle after = BundleReader.read(output);

        assertEquals(before.version(), after.version());
        assertEquals(before.manifest().name(), after.manifest().name());
        assertEquals(before.manifest().createdAt(), after.manifest().createdAt());
        assertEquals(before.manifest().trainingDataDigest(), after.manifest().trainingDataDigest());
        assertEquals(new ObjectMapper().writeValueAsString(before.manifest().preprocessing()),
                new ObjectMapper().writeValueAsString(after.manifest().preprocessing()));
        for (Map.Entry<String, String> file : before.manifest().files().entrySet()) {
            if (!file.getKey().startsWith("calibration/") && !file.getKey().equals(BundleWriter.REFERENCE_FILE)) {
                assertEquals(file.getValue(), after.manifest().files().get(file.getKey()), file.getKey());
            }
        }
        assertTrue(after.manifest().files().containsKey("hbos.json"));
        assertNotEquals(Sha256.ofFile(trained.resolve(BundleManifest.FILE)),
                Sha256.ofFile(output.resolve(BundleManifest.FILE)));
        // The bundle directory takes the default permissions, not a temporary directory's owner-only ones.
        assertEquals(Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain"))),
                Files.getPosixFilePermissions(output));

        // Every cell grew by exactly the events routed to it, and the report says so.
        Map<String, Integer> cellsSeen = new HashMap<>();
        for (BundleCalibrator.CellSizes cell : result.cells()) {
            int old = before.calibration().containsKey(cell.cell()) ? before.calibration().get(cell.cell()).size() : 0;
            int more = added.containsKey(cell.cell()) ? added.get(cell.cell()).size() : 0;
            assertEquals(new BundleCalibrator.CellSizes(cell.cell(), old, more, old + more), cell);
            assertEquals(old + more, after.calibration().get(cell.cell()).size(), cell.cell());
            cellsSeen.put(cell.cell(), old + more);
        }
        assertEquals(after.calibration().keySet(), cellsSeen.keySet());
        assertEquals(CELLS.allCellNames().subList(0, 2), result.cells().subList(0, 2).stream()
                .map(BundleCalibrator.CellSizes::cell).toList(), "finest cells first");
        assertEquals(CellScheme.GLOBAL, result.cells().get(result.cells().size() - 1).cell());
        assertEquals(10_000 + EVENTS, after.calibration().get(CellScheme.GLOBAL).size());
        assertEquals(EVENTS, added.get(CellScheme.GLOBAL).size());

        // Merged p-values are those of the union of the parts.
        for (Map.Entry<String, CalibrationSet> cell : after.calibration().entrySet()) {
            List<CalibrationSet> parts = new ArrayList<>();
            if (before.calibration().containsKey(cell.getKey())) {
                parts.add(before.calibration().get(cell.getKey()));
            }
            if (added.containsKey(cell.getKey())) {
                parts.add(added.get(cell.getKey()));
            }
            CalibrationSet union = CalibrationSet.union(parts);
            assertArrayEquals(union.sortedScores(), cell.getValue().sortedScores(), cell.getKey());
            for (double s : new double[] {-1.0, 0.0, 5.0, 20.0, 40.0, 80.0, union.sortedScores()[union.size() / 2]}) {
                assertEquals(union.pValue(s), cell.getValue().pValue(s), cell.getKey() + " s=" + s);
            }
        }

        assertReferenceHoldsEveryCalibrationEvent(after);

        // Scores are unchanged: the same parameters and preprocessing.
        FeatureExtractor oldExtractor = before.newExtractor();
        FeatureExtractor newExtractor = after.newExtractor();
        float[] x = new float[57];
        float[] y = new float[57];
        for (var events = TrainedBundle.events(200, 9); events.hasNext();) {
            CollisionEvent event = events.next();
            oldExtractor.extract(event, x);
            newExtractor.extract(event, y);
            assertEquals(before.scorer().score(x), after.scorer().score(y));
        }
    }

    @Test
    void replaceKeepsOnlyTheNewSets() throws Exception {
        ModelBundle before = BundleReader.read(trained);
        Map<String, CalibrationSet> added = expectedNewSets(before);
        Path output = dir.resolve("replaced");
        BundleCalibrator.Result result = calibrate(before, output, true);
        ModelBundle after = BundleReader.read(output);
        assertEquals(added.keySet(), after.calibration().keySet());
        for (Map.Entry<String, CalibrationSet> cell : added.entrySet()) {
            assertArrayEquals(cell.getValue().sortedScores(), after.calibration().get(cell.getKey()).sortedScores());
        }
        for (BundleCalibrator.CellSizes cell : result.cells()) {
            assertEquals(cell.added(), cell.after(), cell.cell());
        }
        assertEquals(before.version(), after.version());
        assertReferenceHoldsEveryCalibrationEvent(after);
        // Replaced, the reference's p-values are exactly leave-one-out against the new sets: floor(alpha n) at most alpha
        // where the scores are distinct (HBOS scores tie, so ties only lower the count).
        for (String cell : after.reference().orElseThrow().cells()) {
            int n = after.calibration().get(cell).size();
            long atMost = after.reference().orElseThrow().strataOf(cell).values().stream()
                    .mapToLong(st -> PValueGrid.countUpTo(st.pValues(false), PValueGrid.edgeIndex(0.1))).sum();
            assertTrue(atMost <= Math.floor(0.1 * n), cell + ": " + atMost + " of " + n);
        }
    }

    /** The monitor's reference counts each finest cell's calibration events once, over its strata of pileup. */
    private static void assertReferenceHoldsEveryCalibrationEvent(ModelBundle bundle) {
        ReferenceHistograms reference = bundle.reference().orElseThrow();
        assertEquals(Strata.PILEUP_UNITS, reference.strata());
        for (int c = 0; c < CELLS.cellsAt(0); c++) {
            String cell = CELLS.cellName(0, c);
            long events = reference.strataOf(cell).values().stream().mapToLong(ReferenceHistograms.Stratum::events).sum();
            CalibrationSet set = bundle.calibration().get(cell);
            assertEquals(set == null ? 0 : set.size(), events, cell);
        }
    }

    @Test
    void inPlaceRewriteSwapsTheDirectoryAndLeavesNothingBehind() throws Exception {
        Path bundleDir = copyOfTrained(dir.resolve("bundle"));
        Files.writeString(bundleDir.resolve("NOTES.txt"), "kept across calibration");
        ModelBundle before = BundleReader.read(bundleDir);
        calibrate(before, bundleDir, false);
        ModelBundle after = BundleReader.read(bundleDir);
        assertEquals(10_000 + EVENTS, after.calibration().get(CellScheme.GLOBAL).size());
        assertEquals(before.version(), after.version());
        assertEquals("kept across calibration", Files.readString(bundleDir.resolve("NOTES.txt")));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(List.of(bundleDir), siblings.toList(), "no staging or replaced directory is left");
        }
        try (Stream<Path> files = Files.list(bundleDir.resolve("calibration"))) {
            assertEquals(after.manifest().calibration().size(), files.count(), "only the new calibration files");
        }
    }

    @Test
    void aFileChangedSinceReadingOrANonEmptyTargetIsRefused() throws Exception {
        Path bundleDir = copyOfTrained(dir.resolve("bundle"));
        ModelBundle bundle = BundleReader.read(bundleDir);
        Files.writeString(bundleDir.resolve("hbos.json"), Files.readString(bundleDir.resolve("hbos.json")) + " ");
        InvalidBundleException changed = assertThrows(InvalidBundleException.class,
                () -> calibrate(bundle, bundleDir, false));
        assertTrue(changed.getMessage().startsWith("model bundle " + bundleDir.toAbsolutePath() + ": hbos.json changed"
                + " since it was read"), changed.getMessage());
        assertTrue(Files.exists(bundleDir.resolve(BundleManifest.FILE)), "the bundle stays where it was");

        Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(occupied.resolve("x"), "x");
        assertThrows(DirectoryNotEmptyException.class,
                () -> calibrate(BundleReader.read(trained), occupied, false));
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(2, siblings.count(), "no staging directory is left: " + dir);
        }
    }
}
