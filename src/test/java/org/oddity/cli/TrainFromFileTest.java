package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ModelBundle;
import org.oddity.cli.ReplayCommandTest.Outcome;
import org.oddity.event.FeatureVectorExtractor;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.eventfile.FeatureLayout;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;

/** {@code oddity train --input}: a table gives a {@code features} model on its columns, an Avro file an L1 one. */
class TrainFromFileTest {

    private static final int ROWS = 4000;

    @TempDir
    Path dir;

    /** A table of jet features with the run conditions, a label, and a few bad rows. */
    private Path jetTable() throws IOException {
        Path file = dir.resolve("jets.csv");
        SplittableRandom random = new SplittableRandom(4);
        try (Writer out = Files.newBufferedWriter(file)) {
            out.write("event,pileup,detectorState,jet_pt,jet_eta,n_constituents,label\n");
            for (int i = 0; i < ROWS; i++) {
                boolean signal = i % 200 == 0;
                out.write(i + "," + (20 + random.nextInt(40)) + "," + (i % 4 == 0 ? "ECAL_ENDCAP_OUT" : "ALL_IN") + ","
                        + (float) (30 + 20 * random.nextDouble() + (signal ? 500 : 0)) + ","
                        + (float) (random.nextDouble() * 5 - 2.5) + "," + (5 + random.nextInt(30)) + ","
                        + (signal ? "signal" : "") + "\n");
                if (i == 100) {
                    out.write("x,30,ALL_IN,1,2\n");
                }
            }
        }
        return file;
    }

    @Test
    void trainsAFeaturesModelOnTheColumnsOfACsvTable() throws Exception {
        Path bundle = dir.resolve("bundle");
        Outcome outcome = ReplayCommandTest.run(new TrainCommand(), "--input", jetTable().toString(),
                "--output", bundle.toString(), "--event-column", "event", "--condition", "pileup=pileup",
                "--condition", "detectorState=detectorState", "--label-column", "label", "--skip-bad",
                "--set", "working-points=loose:1e-2", "--seed", "9");
        assertEquals(0, outcome.code(), outcome.err());

        ModelBundle loaded = BundleReader.read(bundle);
        BundleManifest manifest = loaded.manifest();
        List<String> names = List.of("jet_pt", "jet_eta", "n_constituents");
        assertEquals(FeatureVectorExtractor.NAME, manifest.extractor());
        assertEquals(names, manifest.featureNames());
        assertEquals(FeatureLayout.derivedName(names), manifest.featureLayout());
        assertEquals("jets-hbos", manifest.name());
        long calibration = loaded.calibration().get("global").size();
        assertEquals(ROWS, manifest.trainingEvents() + calibration, "every good row trains or calibrates");
        assertTrue(Math.abs(calibration - ROWS / 2) < 4 * Math.sqrt(ROWS / 4.0), "half held out: " + calibration);
        assertTrue(outcome.out().contains("bad rows skipped in " + dir.resolve("jets.csv")
                + ": 1 (wrong column count 1)"), outcome.out());
    }

    @Test
    void aBackgroundLabelLeavesTheOtherRowsOutOfTrainingAndCalibration() throws Exception {
        Path table = jetTable();
        Path bundle = dir.resolve("bundle");
        Outcome outcome = ReplayCommandTest.run(new TrainCommand(), "--input", table.toString(),
                "--output", bundle.toString(), "--event-column", "event", "--condition", "pileup=pileup",
                "--condition", "detectorState=detectorState", "--label-column", "label", "--skip-bad",
                "--background-label=");
        assertEquals(0, outcome.code(), outcome.err());
        ModelBundle loaded = BundleReader.read(bundle);
        assertEquals(ROWS - ROWS / 200, loaded.manifest().trainingEvents() + loaded.calibration().get("global").size(),
                "the rows labelled signal are left out");

        Outcome noLabels = ReplayCommandTest.run(new TrainCommand(), "--input", table.toString(),
                "--output", dir.resolve("b").toString(), "--skip-bad", "--background-label", "background");
        assertEquals("--background-label", noLabels.invalidKey());
    }

    @Test
    void theSameSeedHoldsOutTheSameRowsAndALayoutNameCanBeGiven() throws Exception {
        Path table = jetTable();
        String[] common = {"--input", table.toString(), "--event-column", "event", "--condition", "pileup=pileup",
            "--condition", "detectorState=detectorState", "--label-column", "label", "--skip-bad", "--seed", "9",
            "--layout", "jets-v1", "--name", "jets", "--feature-columns", "n_constituents,jet_pt"};
        for (String out : new String[] {"a", "b"}) {
            String[] args = Stream.concat(Arrays.stream(common), Stream.of("--output", dir.resolve(out).toString()))
                    .toArray(String[]::new);
            assertEquals(0, ReplayCommandTest.run(new TrainCommand(), args).code());
        }
        BundleManifest a = BundleReader.read(dir.resolve("a")).manifest();
        assertEquals("jets-v1", a.featureLayout());
        assertEquals(List.of("n_constituents", "jet_pt"), a.featureNames());
        assertEquals("jets", a.name());
        assertEquals(a.version(), BundleReader.read(dir.resolve("b")).manifest().version());
        assertEquals(a.trainingDataDigest(), BundleReader.read(dir.resolve("b")).manifest().trainingDataDigest());
    }

    @Test
    void trainsOnAnHdf5Table() throws Exception {
        Path h5 = Path.of(getClass().getResource("/replay/group.h5").toURI());
        Path bundle = dir.resolve("bundle");
        Outcome outcome = ReplayCommandTest.run(new TrainCommand(), "--input", h5.toString(), "--dataset", "/data",
                "--output", bundle.toString(), "--feature-columns", "f0,f2",
                "--constant-condition", "pileup=35", "--constant-condition", "detectorState=ALL_IN",
                "--calibration-fraction", "0.3");
        assertEquals(0, outcome.code(), outcome.err());
        BundleManifest manifest = BundleReader.read(bundle).manifest();
        assertEquals(List.of("f0", "f2"), manifest.featureNames());
        assertEquals("group-hbos", manifest.name());
    }

    @Test
    void trainsATriggerObjectModelOnAnAvroFile() throws Exception {
        Path avro = dir.resolve("sim.avro");
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(3000, 3600), 2);
        try (DataFileWriter<CollisionEvent> writer =
                new DataFileWriter<>(new SpecificDatumWriter<>(CollisionEvent.class))) {
            writer.create(CollisionEvent.getClassSchema(), avro.toFile());
            simulator.forEachRemaining(e -> {
                try {
                    writer.append(e);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        Path bundle = dir.resolve("bundle");
        Outcome outcome = ReplayCommandTest.run(new TrainCommand(), "--input", avro.toString(), "--output",
                bundle.toString());
        assertEquals(0, outcome.code(), outcome.err());
        BundleManifest manifest = BundleReader.read(bundle).manifest();
        assertEquals(L1ObjectsExtractor.NAME, manifest.extractor());
        assertNull(manifest.featureLayout());
        assertEquals("l1-hbos", manifest.name());
    }

    @Test
    void aTableWithoutRowsOrColumnsIsReportedOnOneLine() throws Exception {
        Path headerOnly = dir.resolve("empty.csv");
        Files.writeString(headerOnly, "pt,eta\n");
        Outcome outcome = ReplayCommandTest.run(new TrainCommand(), "--input", headerOnly.toString(), "--output",
                dir.resolve("bundle").toString());
        assertEquals(1, outcome.code());
        assertEquals("oddity: cannot train on " + headerOnly + ": cannot train HBOS on zero events",
                outcome.err().lines().filter(l -> l.startsWith("oddity:")).findFirst().orElse(outcome.err()));

        Outcome noInput = ReplayCommandTest.run(new TrainCommand(), "--output", dir.resolve("b").toString(),
                "--label-column", "label");
        assertEquals("--label-column", noInput.invalidKey());
    }
}
