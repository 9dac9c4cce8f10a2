package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.Sha256;
import org.oddity.calibrate.CellScheme;
import org.oddity.cli.ReplayCommandTest.Outcome;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.fixtures.SwapBundles;
import org.oddity.sim.DaqSimulator;

/**
 * {@code oddity calibrate}: more calibration from simulated background or a table's background
 * rows lands in the bundle (a new directory or in place) with the same version, and the command
 * prints every cell's old and new size; bad options exit 2 naming the option, an input without a
 * usable event exits 1 and changes nothing, and a damaged bundle exits 3.
 */
class CalibrateCommandTest {

    @TempDir
    Path dir;

    private static Outcome calibrate(String... args) {
        return ReplayCommandTest.run(new CalibrateCommand(), args);
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }

    /** The table row of {@code cell}: old n, added, new n. */
    private static void assertRow(String out, String cell, int old, int added, int now) {
        Pattern row = Pattern.compile("(?m)^" + Pattern.quote(cell) + " +" + String.format("%,d", old) + " +"
                + String.format("%,d", added) + " +" + String.format("%,d", now) + "$");
        assertTrue(row.matcher(out).find(), cell + " " + old + " + " + added + " = " + now + " in\n" + out);
    }

    @Test
    void simulatedBackgroundGrowsEveryCellOfANewBundle() throws Exception {
        Path bundleDir = SwapBundles.calibrated(dir.resolve("bundle"), 3);
        ModelBundle before = BundleReader.read(bundleDir);
        Path output = dir.resolve("more");
        Outcome outcome = calibrate("--bundle", bundleDir.toString(), "--output", output.toString(),
                "--calibration-events", "3000", "--seed", "3", "--set", "working-points=loose:1e-2");
        assertEquals(0, outcome.code(), outcome.err());
        assertTrue(outcome.err().contains("calibration events must be new to " + bundleDir), outcome.err());

        // The simulator's events of seed 3 + 2 that have a cell and valid objects, counted here.
        FeatureExtractor extractor = before.newExtractor();
        CellScheme cells = SwapBundles.settings(java.util.Map.of()).calibration().cells();
        float[] x = new float[57];
        int usable = 0;
        for (DaqSimulator events = BundleTraining.simulatedRecalibration(3000, 3600, 3); events.hasNext();) {
            CollisionEvent event = events.next();
            try {
                extractor.extract(event, x);
                usable += cells.finestCellOf(event.getConditions()) >= 0 ? 1 : 0;
            } catch (InvalidEventException e) {
                continue;
            }
        }
        ModelBundle after = BundleReader.read(output);
        int old = before.calibration().get(CellScheme.GLOBAL).size();
        assertEquals(old + usable, after.calibration().get(CellScheme.GLOBAL).size());
        assertRow(outcome.out(), CellScheme.GLOBAL, old, usable, old + usable);
        assertTrue(outcome.out().startsWith("model " + SwapBundles.NAME + " version " + before.version() + ": "
                + String.format("%,d", usable) + " calibration events from simulated background, "
                + String.format("%,d", 3000 - usable) + " rejected, merged with its sets -> " + output), outcome.out());
        for (String cell : after.calibration().keySet()) {
            int was = before.calibration().containsKey(cell) ? before.calibration().get(cell).size() : 0;
            int is = after.calibration().get(cell).size();
            assertRow(outcome.out(), cell, was, is - was, is);
        }
        assertEquals(before.version(), after.version());
    }

    /** A table of three features with pileup, detector state and a label: every fifth row is signal. */
    private Path table(String name, int rows, long seed, String label) throws IOException {
        Path file = dir.resolve(name);
        SplittableRandom random = new SplittableRandom(seed);
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("pileup,state,jet_pt,jet_eta,n_constituents,label\n");
            for (int i = 0; i < rows; i++) {
                out.write((20 + random.nextInt(40)) + "," + (i % 3 == 0 ? "ECAL_ENDCAP_OUT" : "ALL_IN") + ","
                        + (float) (30 + 20 * random.nextDouble()) + "," + (float) (5 * random.nextDouble() - 2.5) + ","
                        + (5 + random.nextInt(30)) + "," + (label != null ? label : i % 5 == 0 ? "signal" : "background")
                        + "\n");
            }
        }
        return file;
    }

    private static final String[] COLUMNS = {"--condition", "pileup=pileup", "--condition", "detectorState=state",
        "--label-column", "label", "--background-label", "background"};

    @Test
    void aTablesBackgroundRowsCalibrateInPlace() throws Exception {
        Path bundleDir = dir.resolve("jets");
        Outcome trained = ReplayCommandTest.run(new TrainCommand(), with(COLUMNS, "--input",
                table("train.csv", 2_000, 1, null).toString(), "--output", bundleDir.toString(), "--name", "jets"));
        assertEquals(0, trained.code(), trained.err());
        ModelBundle before = BundleReader.read(bundleDir);

        Outcome outcome = calibrate(with(COLUMNS, "--bundle", bundleDir.toString(), "--in-place", "--input",
                table("more.csv", 1_500, 2, null).toString()));
        assertEquals(0, outcome.code(), outcome.err());
        ModelBundle after = BundleReader.read(bundleDir);
        int old = before.calibration().get(CellScheme.GLOBAL).size();
        // Four in five of the 1,500 rows are background.
        assertEquals(old + 1_200, after.calibration().get(CellScheme.GLOBAL).size());
        assertRow(outcome.out(), CellScheme.GLOBAL, old, 1_200, old + 1_200);
        assertEquals(before.version(), after.version());
        assertEquals("jets", after.manifest().name());
    }

    @Test
    void badOptionsExit2NamingTheOption() throws Exception {
        Path bundleDir = SwapBundles.calibrated(dir.resolve("bundle"), 4);
        String bundle = bundleDir.toString();
        Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(occupied.resolve("x"), "x");
        Path csv = table("t.csv", 10, 3, null);
        String[][] cases = {
            {"--output", "--bundle", bundle},
            {"--output", "--bundle", bundle, "--in-place", "--output", dir.resolve("o").toString()},
            {"--output", "--bundle", bundle, "--output", occupied.toString()},
            {"--output", "--bundle", bundle, "--output", bundle},
            {"model.bundle", "--output", dir.resolve("o").toString()},
            {"--label-column", "--bundle", bundle, "--in-place", "--label-column", "label"},
            {"--calibration-events", "--bundle", bundle, "--in-place", "--calibration-events", "0"},
            {"--background-label", "--bundle", bundle, "--in-place", "--input", csv.toString(), "--background-label",
                "background", "--constant-condition", "pileup=30"},
        };
        for (String[] c : cases) {
            Outcome outcome = calibrate(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, outcome.code(), String.join(" ", c) + ": " + outcome.err());
            assertEquals(c[0], outcome.invalidKey(), String.join(" ", c));
        }
    }

    @Test
    void anInputWithoutUsableEventsExits1AndChangesNothing() throws Exception {
        Path bundleDir = dir.resolve("jets");
        assertEquals(0, ReplayCommandTest.run(new TrainCommand(), with(COLUMNS, "--input",
                table("train.csv", 500, 1, null).toString(), "--output", bundleDir.toString())).code());
        String manifest = Sha256.ofFile(bundleDir.resolve(BundleManifest.FILE));
        Path signalOnly = table("signal.csv", 200, 5, "signal");
        Path output = dir.resolve("out");
        Outcome outcome = calibrate(with(COLUMNS, "--bundle", bundleDir.toString(), "--output", output.toString(),
                "--input", signalOnly.toString()));
        assertEquals(1, outcome.code(), outcome.err());
        assertTrue(outcome.err().contains("oddity: no usable calibration event in " + signalOnly + ": none of its 0"
                + " reference events has a cell and valid features; " + bundleDir + " is unchanged"), outcome.err());
        assertFalse(Files.exists(output));
        assertEquals(manifest, Sha256.ofFile(bundleDir.resolve(BundleManifest.FILE)));
    }

    @Test
    void aDamagedBundleExits3AndIsNotRewritten() throws Exception {
        Path bundleDir = SwapBundles.calibrated(dir.resolve("bundle"), 5);
        Path cell = bundleDir.resolve("calibration/cell-000.bin");
        byte[] bytes = Files.readAllBytes(cell);
        bytes[3] ^= 1;
        Files.write(cell, bytes);
        OddityCommandLineTest.Outcome outcome = OddityCommandLineTest.run("calibrate", "--bundle", bundleDir.toString(),
                "--in-place", "--calibration-events", "100");
        assertEquals(3, outcome.code(), outcome.err());
        assertTrue(outcome.err().startsWith("oddity: refused model bundle " + bundleDir + ": calibration/cell-000.bin"
                + " has SHA-256 "), outcome.err());
        assertEquals(Arrays.toString(bytes), Arrays.toString(Files.readAllBytes(cell)));
    }
}
