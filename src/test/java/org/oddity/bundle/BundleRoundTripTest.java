package org.oddity.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerRegistry;
import org.oddity.score.hbos.HbosTrainer;
import org.oddity.score.preprocess.Preprocessing;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.oddity.train.ModelTrainer;
import org.oddity.train.Progress;

/**
 * A model bundle trained by {@link ModelTrainer} on simulated background survives the disk: the
 * loaded scorer scores bit-identically to an independently trained one, the manifest lists every
 * file's SHA-256 and a calibration set for every populated cell at every level (the global one
 * holding every accepted calibration event), and damaged bundles are refused with the reason:
 * a changed file (digest), changed feature names, an unknown scorer family, a missing or escaping
 * file, a wrong calibration size, or a global calibration smaller than the working points need.
 * The neural families' bundles, with their default preprocessing, score like networks trained
 * outside the bundle code.
 */
class BundleRoundTripTest {

    private static final double FILL_SECONDS = 3_600;
    private static final int TRAINING_EVENTS = 20_000;
    private static final int CALIBRATION_EVENTS = 20_000;
    private static final long TRAINING_SEED = 101;
    private static final long CALIBRATION_SEED = 202;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path trained;

    private static OdditySettings settings;
    private static ModelTrainer.Result result;
    private static final List<Long> progress = new ArrayList<>();

    private static DaqSimulator simulator(int events, long seed) {
        return new DaqSimulator(SimulationPlan.standard(events, FILL_SECONDS), seed);
    }

    @BeforeAll
    static void train() throws IOException {
        settings = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of()));
        result = new ModelTrainer("test-hbos", new L1ObjectsExtractor(), null, settings.calibration().cells(),
                new HbosTrainer(50, 0.999), "none").train(simulator(TRAINING_EVENTS, TRAINING_SEED),
                simulator(CALIBRATION_EVENTS, CALIBRATION_SEED), trained, progress::add);
    }

    /** The same model, trained here without the bundle code: extractor rows into HbosTrainer. */
    private static Scorer independentlyTrained(Sha256 digest) throws InvalidEventException {
        L1ObjectsExtractor extractor = new L1ObjectsExtractor();
        FeatureMatrix matrix = new FeatureMatrix(57);
        float[] row = new float[57];
        DaqSimulator events = simulator(TRAINING_EVENTS, TRAINING_SEED);
        while (events.hasNext()) {
            extractor.extract(events.next(), row);
            matrix.add(row);
            for (float v : row) {
                digest.update(v);
            }
        }
        return new HbosTrainer(50, 0.999).train(matrix);
    }

    @Test
    void trainerReportsWhatItDid() {
        assertEquals(TRAINING_EVENTS, result.trainingEvents());
        assertEquals(CALIBRATION_EVENTS, result.calibrationEvents());
        assertEquals(0, result.rejected());
        assertEquals(TRAINING_EVENTS + CALIBRATION_EVENTS, progress.size());
        for (int i = 0; i < progress.size(); i++) {
            assertEquals(i + 1L, progress.get(i));
        }
    }

    @Test
    void manifestDescribesModelAndListsEveryFileDigest() throws IOException, InvalidEventException {
        BundleManifest manifest = result.manifest();
        assertEquals(BundleManifest.FORMAT_VERSION, manifest.formatVersion());
        assertEquals("test-hbos", manifest.name());
        assertEquals("hbos", manifest.scorer());
        assertEquals("l1-objects-57", manifest.extractor());
        assertNull(manifest.featureLayout());
        assertEquals(new L1ObjectsExtractor().featureNames(), manifest.featureNames());
        assertEquals(TRAINING_EVENTS, manifest.trainingEvents());
        Sha256 digest = new Sha256();
        independentlyTrained(digest);
        assertEquals(digest.hex(), manifest.trainingDataDigest());
        Instant created = Instant.parse(manifest.createdAt());
        assertTrue(created.isAfter(Instant.now().minusSeconds(3_600)), manifest.createdAt());

        // The version is derived from the parameter files' digests.
        Sha256 parameters = new Sha256();
        parameters.update(Sha256.ofFile(trained.resolve("hbos.json")));
        assertEquals("hbos-" + parameters.hex().substring(0, 12), manifest.version());

        // Every file on disk except the manifest is listed, with its SHA-256.
        Set<String> onDisk = new HashSet<>();
        try (Stream<Path> files = Files.walk(trained)) {
            files.filter(Files::isRegularFile).map(p -> trained.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals(BundleManifest.FILE)).forEach(onDisk::add);
        }
        assertEquals(onDisk, manifest.files().keySet());
        assertTrue(manifest.files().containsKey("hbos.json"));
        for (Map.Entry<String, String> file : manifest.files().entrySet()) {
            assertTrue(file.getValue().matches("[0-9a-f]{64}"), file.getValue());
            assertEquals(Sha256.ofFile(trained.resolve(file.getKey())), file.getValue(), file.getKey());
        }
        // The manifest on disk is the one returned.
        assertEquals(manifest, JSON.readValue(trained.resolve(BundleManifest.FILE).toFile(), BundleManifest.class));
    }

    @Test
    void calibrationSetsCoverEveryPopulatedCellAtEveryLevel() throws IOException {
        CellScheme cells = settings.calibration().cells();
        // Count the calibration events per cell independently of the collector.
        Map<String, Integer> expected = new TreeMap<>();
        DaqSimulator events = simulator(CALIBRATION_EVENTS, CALIBRATION_SEED);
        while (events.hasNext()) {
            int finest = cells.finestCellOf(events.next().getConditions());
            assertTrue(finest >= 0);
            for (int level = 0; level < cells.levels(); level++) {
                expected.merge(cells.cellName(level, cells.cellAt(level, finest)), 1, Integer::sum);
            }
        }
        Map<String, Integer> listed = new TreeMap<>();
        for (CalibrationEntry entry : result.manifest().calibration()) {
            listed.put(entry.cell(), entry.size());
            assertEquals(8L * entry.size(), Files.size(trained.resolve(entry.file())), entry.file());
            assertTrue(result.manifest().files().containsKey(entry.file()));
        }
        assertEquals(expected, listed);
        // The simulation has ALL_IN and ECAL_ENDCAP_OUT in every pileup bin and never another state:
        // 8 finest cells, 4 pileup cells and the global cell.
        assertEquals(13, listed.size());
        assertEquals(CALIBRATION_EVENTS, listed.get("global"));
        assertEquals(result.calibrationEvents(), (long) listed.get("global"));
        int finestTotal = 0;
        for (int f = 0; f < cells.cellsAt(0); f++) {
            finestTotal += listed.getOrDefault(cells.cellName(0, f), 0);
        }
        assertEquals(CALIBRATION_EVENTS, finestTotal);
    }

    @Test
    void readBundleScoresBitIdenticallyAndHoldsTheSameCalibration() throws Exception {
        ModelBundle bundle = BundleReader.read(trained);
        assertEquals(result.manifest(), bundle.manifest());
        assertEquals(result.manifest().version(), bundle.version());
        assertEquals(trained, bundle.directory());
        Scorer reference = independentlyTrained(new Sha256());
        Scorer loaded = bundle.scorer();
        assertEquals("hbos", loaded.family());
        assertEquals(57, loaded.featureCount());

        FeatureExtractor fresh = bundle.newExtractor();
        L1ObjectsExtractor referenceExtractor = new L1ObjectsExtractor();
        float[] a = new float[57];
        float[] b = new float[57];
        DaqSimulator events = simulator(1_000, 303);
        int scored = 0;
        while (events.hasNext()) {
            CollisionEvent event = events.next();
            fresh.extract(event, a);
            referenceExtractor.extract(event, b);
            assertArrayEquals(b, a);
            assertEquals(Double.doubleToRawLongBits(reference.score(b)), Double.doubleToRawLongBits(loaded.score(a)),
                    "event " + event.getEvent());
            scored++;
        }
        assertEquals(1_000, scored);

        // The global calibration set holds exactly the reference scores of the calibration events.
        double[] scores = new double[CALIBRATION_EVENTS];
        DaqSimulator calibration = simulator(CALIBRATION_EVENTS, CALIBRATION_SEED);
        for (int i = 0; calibration.hasNext(); i++) {
            referenceExtractor.extract(calibration.next(), b);
            scores[i] = reference.score(b);
        }
        Arrays.sort(scores);
        assertArrayEquals(scores, bundle.calibration().get("global").sortedScores());
        Set<String> cells = new HashSet<>();
        for (CalibrationEntry entry : result.manifest().calibration()) {
            cells.add(entry.cell());
            assertEquals(entry.size(), bundle.calibration().get(entry.cell()).size());
        }
        assertEquals(cells, bundle.calibration().keySet());

        // Reference histograms: every finest cell with calibration events, each feature counting every one of them.
        ReferenceHistograms histograms = bundle.reference().orElseThrow();
        assertEquals(bundle.manifest().featureNames(), histograms.binning().featureNames());
        CellScheme scheme = settings.calibration().cells();
        List<String> finest = scheme.allCellNames().subList(0, scheme.cellsAt(0));
        long counted = 0;
        for (String cell : histograms.cells()) {
            assertTrue(finest.contains(cell), "a finest cell: " + cell);
            long n = bundle.calibration().get(cell).size();
            for (int f = 0; f < histograms.binning().features(); f++) {
                assertEquals(n, histograms.total(cell, f), cell + " feature " + f);
            }
            counted += n;
        }
        assertEquals(CALIBRATION_EVENTS, counted);
    }

    @Test
    void scoringModelResolvesCellsAndRefusesASmallGlobalSet() throws Exception {
        ModelBundle bundle = BundleReader.read(trained);
        CellScheme cells = settings.calibration().cells();
        WorkingPoints points = settings.calibration().workingPoints();
        assertArrayEquals(new int[] {99, 999, 9_999}, settings.calibration().minimumSizes());
        Map<String, CalibrationSet> sets = bundle.calibration();
        // Calibration counts: finest cells 625..4697 events, pileup cells 4165..6572, global 20000. Finest cells are
        // ordered (pileup bin) x (ALL_IN, ECAL_ENDCAP_OUT, OTHER); OTHER never occurs in the simulation.
        Map<Integer, List<Integer>> expectedLevels = Map.of(
                999, List.of(0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1),
                5_000, List.of(2, 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 2),
                9_999, List.of(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2));
        for (Map.Entry<Integer, List<Integer>> minimum : expectedLevels.entrySet()) {
            ScoringModel resolved = ScoringModel.of(bundle, cells, points, minimum.getKey());
            List<Integer> levels = new ArrayList<>();
            for (int f = 0; f < cells.cellsAt(0); f++) {
                ResolvedCell cell = resolved.table().cellFor(f);
                levels.add(cell.level());
                assertTrue(cell.set().size() >= minimum.getKey());
                assertEquals(cells.cellName(cell.level(), cells.cellAt(cell.level(), f)), cell.used());
                assertEquals(sets.get(cell.used()).size(), cell.set().size());
            }
            assertEquals(minimum.getValue(), levels, "minimum size " + minimum.getKey());
        }
        // Without a floor, each working point falls back as far as its own minimum requires.
        ScoringModel model = ScoringModel.of(bundle, cells, points, 0);
        for (int f = 0; f < cells.cellsAt(0); f++) {
            assertEquals(f % 3 == 2 ? 1 : 0, model.table().cellFor(f, 0).level(), "loose needs 99; OTHER has no events");
            assertEquals(expectedLevels.get(999).get(f), model.table().cellFor(f, 1).level(), "medium needs 999");
            assertEquals(2, model.table().cellFor(f, 2).level(), "tight needs 9999");
        }
        assertEquals(points, model.workingPoints());
        assertEquals(cells, model.cells());
        assertEquals(sets.get("global").threshold(0.01), model.globalThreshold());

        InvalidBundleException tooSmall = assertThrows(InvalidBundleException.class,
                () -> ScoringModel.of(bundle, cells, points, CALIBRATION_EVENTS + 1));
        assertEquals("model bundle " + trained + ": calibration has 20000 events in the global cell; at least 20001"
                + " are needed for the tightest working point", tooSmall.getMessage());
    }

    /** A copy of the trained bundle in {@code dir}, changed by {@code damage}, read back: must fail. */
    private static InvalidBundleException damaged(Path dir, Consumer<Path> damage) throws IOException {
        try (Stream<Path> files = Files.walk(trained)) {
            for (Path source : files.toList()) {
                Path target = dir.resolve(trained.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        damage.accept(dir);
        return assertThrows(InvalidBundleException.class, () -> BundleReader.read(dir));
    }

    private static void editManifest(Path dir, Consumer<ObjectNode> edit) {
        try {
            Path file = dir.resolve(BundleManifest.FILE);
            ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
            edit.accept(root);
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void flipByte(Path file, int at) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[at] ^= 0x01;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tamperedCalibrationFileIsRefused(@TempDir Path dir) throws IOException {
        InvalidBundleException e = damaged(dir, d -> flipByte(d.resolve("calibration/cell-000.bin"), 100));
        assertTrue(e.getMessage().startsWith("model bundle " + dir + ": calibration/cell-000.bin has SHA-256 "),
                e.getMessage());
        assertTrue(e.getMessage().contains("but the manifest says " + result.manifest().files()
                .get("calibration/cell-000.bin")), e.getMessage());
    }

    @Test
    void tamperedParameterFileIsRefused(@TempDir Path dir) throws IOException {
        InvalidBundleException e = damaged(dir, d -> {
            try {
                Files.writeString(d.resolve("hbos.json"), " ", java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException io) {
                throw new AssertionError(io);
            }
        });
        assertTrue(e.getMessage().contains("hbos.json has SHA-256"), e.getMessage());
    }

    @Test
    void changedFeatureNamesAreRefused(@TempDir Path dir) throws IOException {
        InvalidBundleException e = damaged(dir, d -> editManifest(d, root ->
                ((ArrayNode) root.get("featureNames")).set(30, root.textNode("jet1_energy"))));
        assertTrue(e.getMessage().contains("feature names do not match extractor l1-objects-57"), e.getMessage());
        InvalidBundleException fewer = damaged(dir.resolve("fewer"), d -> editManifest(d, root ->
                ((ArrayNode) root.get("featureNames")).remove(56)));
        assertTrue(fewer.getMessage().contains("got 56 names"), fewer.getMessage());
    }

    @Test
    void unknownScorerFamilyIsRefusedNamingTheKnownOnes(@TempDir Path dir) throws IOException {
        InvalidBundleException e = damaged(dir, d -> editManifest(d, root -> root.put("scorer", "iforest-v9")));
        assertEquals("model bundle " + dir + " names scorer iforest-v9; known: " + ScorerRegistry.families(),
                e.getMessage());
    }

    @Test
    void otherManifestDamageIsRefused(@TempDir Path dir) throws IOException {
        InvalidBundleException missing = damaged(dir.resolve("missing"), d -> {
            try {
                Files.delete(d.resolve("calibration/cell-001.bin"));
            } catch (IOException io) {
                throw new AssertionError(io);
            }
        });
        assertTrue(missing.getMessage().endsWith("calibration/cell-001.bin is listed in the manifest but missing"),
                missing.getMessage());
        InvalidBundleException escaping = damaged(dir.resolve("escaping"), d -> editManifest(d, root ->
                ((ObjectNode) root.get("files")).put("../outside.bin", "00")));
        assertTrue(escaping.getMessage().endsWith("file ../outside.bin lies outside the bundle"), escaping.getMessage());
        InvalidBundleException wrongSize = damaged(dir.resolve("size"), d -> editManifest(d, root ->
                ((ObjectNode) root.get("calibration").get(0)).put("size", 7)));
        assertTrue(wrongSize.getMessage().contains("calibration/cell-000.bin holds "), wrongSize.getMessage());
        assertTrue(wrongSize.getMessage().endsWith("scores, the manifest says 7"), wrongSize.getMessage());
        InvalidBundleException future = damaged(dir.resolve("future"), d -> editManifest(d, root ->
                root.put("formatVersion", 2)));
        assertTrue(future.getMessage().endsWith("has format version 2; this oddity reads 1"), future.getMessage());
        InvalidBundleException noDigest = damaged(dir.resolve("undigested"), d -> editManifest(d, root ->
                ((ObjectNode) root.get("files")).remove("calibration/cell-002.bin")));
        assertTrue(noDigest.getMessage().endsWith("calibration file calibration/cell-002.bin has no digest"),
                noDigest.getMessage());
        InvalidBundleException noName = damaged(dir.resolve("nameless"), d -> editManifest(d, root ->
                root.remove("name")));
        assertTrue(noName.getMessage().contains("manifest.json lacks name"), noName.getMessage());
        InvalidBundleException noManifest = damaged(dir.resolve("empty"), d -> {
            try {
                Files.delete(d.resolve(BundleManifest.FILE));
            } catch (IOException io) {
                throw new AssertionError(io);
            }
        });
        assertTrue(noManifest.getMessage().contains("cannot read manifest.json"), noManifest.getMessage());
    }

    @Test
    void flatFeatureBundleWithoutCellCalibrationRoundTrips(@TempDir Path dir) throws Exception {
        List<String> names = List.of("e_t", "hcal", "ecal");
        FeatureMatrix data = new FeatureMatrix(3);
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        for (int i = 0; i < 2_000; i++) {
            data.add(new float[] {(float) random.nextGaussian(), (float) random.nextDouble(), (float) (i % 7)});
        }
        Scorer scorer = new HbosTrainer(10, 1.0).train(data);
        Map<String, CalibrationSet> calibration = new HashMap<>();
        calibration.put("global", CalibrationSet.of(new double[] {3, 1, 2}));
        BundleManifest manifest = BundleWriter.write(dir, "calo", scorer,
                org.oddity.event.FeatureExtractors.create("features", "calo-3", names), "calo-3", Preprocessing.NONE, "d1g35t", 2_000,
                calibration);
        assertEquals(List.of(new CalibrationEntry("global", "calibration/cell-000.bin", 3)), manifest.calibration());
        ModelBundle bundle = BundleReader.read(dir);
        assertEquals("calo-3", bundle.manifest().featureLayout());
        assertEquals(names, bundle.newExtractor().featureNames());
        assertArrayEquals(new double[] {1, 2, 3}, bundle.calibration().get("global").sortedScores());
        float[] x = {0.3f, 0.5f, 4f};
        assertEquals(scorer.score(x), bundle.scorer().score(x));
        // Three scores cannot serve a 1% working point, and a global-only scheme has nothing to fall back to.
        InvalidBundleException small = assertThrows(InvalidBundleException.class, () -> ScoringModel.of(bundle,
                CellScheme.globalOnly(), new WorkingPoints(List.of(new WorkingPoint("loose", 0.01))), 0));
        assertTrue(small.getMessage().endsWith("calibration has 3 events in the global cell; at least 99 are needed"
                + " for the tightest working point"), small.getMessage());
    }

    @Test
    void neuralBundlesApplyTheirDefaultPreprocessingAndScoreBitIdentically(@TempDir Path dir) throws Exception {
        for (String name : List.of("autoencoder", "vae-latent")) {
            ScorerFamily family = ScorerRegistry.family(name).orElseThrow();
            Map<String, String> quick = Map.of("epochs", "2");
            Path bundleDir = dir.resolve(name);
            new ModelTrainer("test-" + name, new L1ObjectsExtractor(), null, settings.calibration().cells(),
                    family.trainer(quick, 5),
                    family.defaultPreprocessing()).train(simulator(5_000, 11), simulator(5_000, 12), bundleDir,
                    Progress.NONE);
            ModelBundle bundle = BundleReader.read(bundleDir);
            assertEquals(name, bundle.manifest().scorer());
            assertTrue(bundle.version().startsWith(name + "-"), bundle.version());
            assertTrue(bundle.manifest().files().containsKey(name + ".bin"), bundle.manifest().files().toString());
            assertEquals(2, bundle.manifest().preprocessing().size(), "log-pt, standardize");

            // The same network trained here, outside the bundle code, on the same preprocessed rows.
            L1ObjectsExtractor extractor = new L1ObjectsExtractor();
            FeatureMatrix matrix = new FeatureMatrix(57);
            float[] row = new float[57];
            DaqSimulator training = simulator(5_000, 11);
            while (training.hasNext()) {
                extractor.extract(training.next(), row);
                matrix.add(row);
            }
            Preprocessing preprocessing = Preprocessing.fit(family.defaultPreprocessing(), extractor.featureNames(),
                    matrix);
            Scorer reference = family.trainer(quick, 5).train(matrix);
            FeatureExtractor loaded = bundle.newExtractor();
            float[] expected = new float[57];
            DaqSimulator test = simulator(500, 13);
            while (test.hasNext()) {
                CollisionEvent event = test.next();
                loaded.extract(event, row);
                extractor.extract(event, expected);
                preprocessing.apply(expected);
                assertArrayEquals(expected, row);
                assertEquals(Double.doubleToRawLongBits(reference.score(expected)),
                        Double.doubleToRawLongBits(bundle.scorer().score(row)), name + " event " + event.getEvent());
            }
        }
    }

    @Test
    void uncalibratedBundleLoadsButCannotScore(@TempDir Path dir) throws Exception {
        FeatureMatrix data = new FeatureMatrix(57);
        data.add(new float[57]);
        BundleWriter.write(dir, "bare", new HbosTrainer(5, 1.0).train(data), new L1ObjectsExtractor(), null,
                Preprocessing.NONE, "x", 1,
                Map.of());
        ModelBundle bundle = BundleReader.read(dir);
        assertEquals(Map.of(), bundle.calibration());
        assertEquals(Set.of("hbos.json"), bundle.manifest().files().keySet());
        InvalidBundleException e = assertThrows(InvalidBundleException.class,
                () -> ScoringModel.of(bundle, settings.calibration().cells(),
                        settings.calibration().workingPoints(), 9_999));
        assertTrue(e.getMessage().endsWith("calibration has no global cell; at least 9999 are needed for the tightest"
                + " working point"), e.getMessage());
    }
}
