package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.cli.ReplayCommandTest.Outcome;

/**
 * {@code oddity evaluate} on a small HBOS bundle: a labelled file with the A_4l signal gives a report whose
 * fields scripts rely on hold sane numbers and whose figures are real PNGs; on the standard fill, per-cell
 * calibration holds every cell within 3 sigma of alpha while one global threshold misses the extreme
 * pileup cells; bad options exit 2 naming the option, a bad bundle 3, an unreadable file 1.
 */
class EvaluateCommandTest {

    /** Calibration events: large next to the evaluated events, so the calibration's own spread stays small. */
    private static final String CALIBRATION_EVENTS = "800000";
    private static final String EVALUATION_EVENTS = "60000";
    /** Standard-fill events: enough that the smallest extreme cell (high pileup, endcaps out) resolves 3 sigma. */
    private static final String FILL_EVENTS = "150000";
    /** The loose working point's alpha, then the fixed FPRs (medium and tight are among them). */
    private static final String[] FPR_KEYS = {"1.0E-2", "1.0E-3", "1.0E-4", "1.0E-5"};
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    static Path shared;

    private static Path bundle;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainBundle() {
        bundle = shared.resolve("bundle");
        Outcome trained = ReplayCommandTest.run(new TrainCommand(), "--output", bundle.toString(),
                "--training-events", "20000", "--calibration-events", CALIBRATION_EVENTS, "--seed", "5");
        assertEquals(0, trained.code(), trained.err());
    }

    private static Outcome evaluate(String... args) {
        return ReplayCommandTest.run(new EvaluateCommand(), args);
    }

    private static String[] with(String[] args, String... more) {
        return Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
    }

    private static JsonNode report(Path reportDir) throws IOException {
        return new ObjectMapper().readTree(reportDir.resolve("report.json").toFile());
    }

    private static Map<String, JsonNode> cellsByName(JsonNode report) {
        Map<String, JsonNode> cells = new HashMap<>();
        report.get("cells").forEach(c -> cells.put(c.get("cell").asText(), c));
        return cells;
    }

    @Test
    void reportsALabelledFileWithSignal() throws Exception {
        Path events = dir.resolve("signal.avro");
        Outcome simulated = ReplayCommandTest.run(new SimulateCommand(), "--scenario",
                Path.of("scenarios/signal-4l.yaml").toString(), "--events", EVALUATION_EVENTS, "--seed", "41",
                "--output", events.toString());
        assertEquals(0, simulated.code(), simulated.err());
        Path out = dir.resolve("report");
        Outcome outcome = evaluate("--bundle", bundle.toString(), "--input", events.toString(), "--report",
                out.toString());
        assertEquals(0, outcome.code(), outcome.err());

        JsonNode report = report(out);
        assertEquals("l1-hbos", report.get("model").get("name").asText());
        assertEquals("hbos", report.get("model").get("scorer").asText());
        assertTrue(report.get("labelled").asBoolean());
        long background = report.get("backgroundEvents").asLong();
        assertEquals(60_000, report.get("events").asLong());
        assertEquals(60_000, report.get("scored").asLong());

        JsonNode cells = report.get("cells");
        assertEquals(8, cells.size(), "every finest cell of the default scheme sees events");
        long n = 0;
        for (JsonNode cell : cells) {
            n += cell.get("n").asLong();
            assertEquals(cell.get("cell").asText(), cell.get("calibrationCell").asText(), "no fallback needed");
            assertTrue(cell.get("calibrationSize").asLong() >= 20_000, cell.toString());
            JsonNode points = cell.get("workingPoints");
            assertEquals(3, points.size());
            assertEquals(0.01, points.get(0).get("alpha").asDouble());
            for (JsonNode point : points) {
                double rate = point.get("conditionalFlagRate").asDouble();
                double alpha = point.get("alpha").asDouble();
                double sigma = Math.sqrt(alpha * (1 - alpha) / cell.get("n").asLong());
                assertEquals(Math.abs(rate - alpha) <= 3 * sigma, point.get("conditionalWithin3Sigma").asBoolean());
                assertTrue(point.get("conditionalWithin3Sigma").asBoolean(), cell.get("cell") + ": " + point);
                assertTrue(point.get("globalThresholdFlagRate").isNumber());
                JsonNode interval = point.get("conditionalInterval");
                assertTrue(interval.get("lower").asDouble() <= rate && rate <= interval.get("upper").asDouble());
            }
            double ks = cell.get("uniformityKsPValue").asDouble();
            assertTrue(ks > 1e-4 && ks <= 1.0, cell.get("cell") + " KS p " + ks);
            long histogram = 0;
            for (JsonNode count : cell.get("pValueHistogram").get("counts")) {
                histogram += count.asLong();
            }
            assertEquals(cell.get("n").asLong(), histogram);
        }
        assertEquals(background, n, "cells count background events only");

        JsonNode signals = report.get("signals");
        assertEquals(1, signals.size());
        JsonNode signal = signals.get(0);
        assertEquals("A_4l", signal.get("label").asText());
        assertFalse(signal.get("fault").asBoolean());
        assertEquals(60_000 - background, signal.get("events").asLong());
        assertTrue(signal.get("events").asLong() > 50, "signal-4l injects 1 in 200 for a third of the run");
        assertTrue(signal.get("auc").asDouble() > 0.7, "AUC " + signal.get("auc"));
        JsonNode tpr = signal.get("tprAtFpr");
        List<String> keys = new ArrayList<>();
        tpr.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of(FPR_KEYS), keys);
        double tpr2 = tpr.get("1.0E-2").asDouble();
        double tpr3 = tpr.get("1.0E-3").asDouble();
        assertTrue(tpr3 >= 0.0 && tpr3 <= tpr2 && tpr2 <= 1.0, tpr2 + " at 1e-2, " + tpr3 + " at 1e-3");
        assertTrue(tpr.get("1.0E-4").isNull() && tpr.get("1.0E-5").isNull(), "60,000 events cannot resolve 1e-4");
        assertTrue(signal.get("tprAtFprOmitted").get("1.0E-5").asText().contains("1,000,000 background events"));

        for (String file : List.of("roc.png", "flag-rates-loose.png", "flag-rates-medium.png", "flag-rates-tight.png",
                "pvalues.png")) {
            assertPng(out.resolve(file));
            assertTrue(Files.readString(out.resolve("index.html")).contains("src=\"" + file + "\""), file);
        }
        assertTrue(outcome.out().contains("A_4l"), outcome.out());
        assertTrue(outcome.out().contains("TPR@1.0E-2"), outcome.out());
        assertEquals(1 + 8 * 3, Files.readAllLines(out.resolve("cells.csv")).size(), "a header and a row per cell"
                + " and working point");
        assertTrue(outcome.out().contains("pileup<30|detectorState=ALL_IN"), outcome.out());
    }

    @Test
    void perCellCalibrationHoldsEveryCellWhereOneGlobalThresholdMissesTheExtremes() throws Exception {
        Path out = dir.resolve("fill");
        Outcome outcome = evaluate("--bundle", bundle.toString(), "--events", FILL_EVENTS, "--seed", "77",
                "--report", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        JsonNode report = report(out);
        assertFalse(report.get("labelled").asBoolean());
        assertEquals(0, report.get("signals").size());
        assertEquals(150_000, report.get("backgroundEvents").asLong(), "unlabelled: every event counts");
        assertEquals(77, report.get("input").get("seed").asLong());
        for (JsonNode cell : report.get("cells")) {
            JsonNode loosest = cell.get("workingPoints").get(0);
            assertTrue(loosest.get("conditionalWithin3Sigma").asBoolean(), cell.get("cell") + ": " + loosest);
        }
        Map<String, JsonNode> cells = cellsByName(report);
        for (String extreme : List.of("pileup<30|detectorState=ALL_IN", "pileup<30|detectorState=ECAL_ENDCAP_OUT",
                "pileup>=50|detectorState=ALL_IN", "pileup>=50|detectorState=ECAL_ENDCAP_OUT")) {
            JsonNode loosest = cells.get(extreme).get("workingPoints").get(0);
            assertFalse(loosest.get("globalThresholdWithin3Sigma").asBoolean(), extreme + ": " + loosest);
        }
        // Low pileup is under-flagged by the global threshold, high pileup over-flagged.
        assertTrue(cells.get("pileup<30|detectorState=ALL_IN").get("workingPoints").get(0)
                .get("globalThresholdFlagRate").asDouble() < 0.005);
        assertTrue(cells.get("pileup>=50|detectorState=ALL_IN").get("workingPoints").get(0)
                .get("globalThresholdFlagRate").asDouble() > 0.02);
        assertFalse(Files.exists(out.resolve("roc.png")), "no signal, no ROC figure");
        assertPng(out.resolve("flag-rates-loose.png"));
    }

    @Test
    void faultLabelsAreComparedWithTheBackgroundAndMarkedAsFaults() throws Exception {
        Path out = dir.resolve("hot");
        Outcome outcome = evaluate("--bundle", bundle.toString(), "--scenario", "scenarios/hot-channel.yaml",
                "--events", "20000", "--seed", "43", "--report", out.toString());
        assertEquals(0, outcome.code(), outcome.err());
        JsonNode signal = report(out).get("signals").get(0);
        assertEquals("fault:hot-channel", signal.get("label").asText());
        assertTrue(signal.get("fault").asBoolean());
        assertTrue(signal.get("events").asLong() > 0);
        assertTrue(signal.get("auc").asDouble() > 0.5, "an 80 GeV e/gamma in one tower: " + signal.get("auc"));
        assertTrue(outcome.out().contains("fault:hot-channel (fault)"), outcome.out());
    }

    @Test
    void badOptionsExit2NamingTheOption() throws Exception {
        String[] base = {"--report", dir.resolve("r").toString()};
        assertEquals("--bundle", evaluate(with(base, "--events", "10", "--seed", "3")).invalidKey());
        String[] withBundle = with(base, "--bundle", bundle.toString());
        assertEquals("--input", evaluate(withBundle).invalidKey());
        assertEquals("--seed", evaluate(with(withBundle, "--events", "10")).invalidKey());
        assertEquals("--events", evaluate(with(withBundle, "--events", "0", "--seed", "3")).invalidKey());
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, "signals:\n  - kind: nothing\n    probability: 0.1\n");
        Outcome badScenario = evaluate(with(withBundle, "--scenario", scenario.toString(), "--events", "10",
                "--seed", "3"));
        assertEquals(2, badScenario.code());
        assertEquals("--scenario", badScenario.invalidKey());
        Path file = dir.resolve("x.avro");
        assertEquals("--scenario", evaluate(with(withBundle, "--input", file.toString(), "--scenario",
                scenario.toString())).invalidKey());
        assertEquals("--seed", evaluate(with(withBundle, "--input", file.toString(), "--seed", "3")).invalidKey());
        assertEquals("--label-column", evaluate(with(withBundle, "--events", "10", "--seed", "3", "--label-column",
                "label")).invalidKey());
        assertEquals("working-points", evaluate(with(withBundle, "--events", "10", "--seed", "3", "--set",
                "working-points=loose:2")).invalidKey());
    }

    @Test
    void aBadBundleExits3AndAnUnreadableFileExits1() throws Exception {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        try (Stream<Path> files = Files.list(bundle)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, broken.resolve(f.getFileName()));
                }
            }
        }
        Files.writeString(broken.resolve("hbos.json"), "{}");
        assertEquals(Oddity.EXIT_BAD_BUNDLE, Oddity.execute("evaluate", "--bundle", broken.toString(), "--events",
                "10", "--seed", "3", "--report", dir.resolve("r").toString()));

        Outcome missing = evaluate("--bundle", bundle.toString(), "--input", dir.resolve("none.avro").toString(),
                "--report", dir.resolve("r").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    /** A table of two jet features with run conditions and a label; one row in 50 is a hard "signal" jet. */
    private Path jetTable(String name, long seed) throws IOException {
        Path file = dir.resolve(name);
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder("pileup,detectorState,jet_pt,jet_eta,label\n");
        for (int i = 0; i < 4000; i++) {
            boolean signal = i % 50 == 0;
            csv.append(20 + random.nextInt(40)).append(',').append(i % 4 == 0 ? "ECAL_ENDCAP_OUT" : "ALL_IN")
                    .append(',').append((float) (30 + 20 * random.nextDouble() + (signal ? 200 : 0))).append(',')
                    .append((float) (random.nextDouble() * 5 - 2.5)).append(',').append(signal ? "signal" : "background")
                    .append('\n');
        }
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void evaluatesAFeatureTableWithABackgroundLabel() throws Exception {
        String[] columns = {"--condition", "pileup=pileup", "--condition", "detectorState=detectorState",
            "--label-column", "label", "--set", "working-points=loose:1e-2"};
        Path tableBundle = dir.resolve("jets-bundle");
        Outcome trained = ReplayCommandTest.run(new TrainCommand(), with(columns, "--input",
                jetTable("train.csv", 1).toString(), "--background-label", "background", "--output",
                tableBundle.toString()));
        assertEquals(0, trained.code(), trained.err());
        Path out = dir.resolve("jets-report");
        Outcome outcome = evaluate(with(columns, "--bundle", tableBundle.toString(), "--input",
                jetTable("test.csv", 2).toString(), "--background-label", "background", "--report", out.toString()));
        assertEquals(0, outcome.code(), outcome.err());
        JsonNode report = report(out);
        assertEquals(3920, report.get("backgroundEvents").asLong());
        JsonNode signal = report.get("signals").get(0);
        assertEquals("signal", signal.get("label").asText());
        assertEquals(80, signal.get("events").asLong());
        assertTrue(signal.get("auc").asDouble() > 0.99, "a jet 200 GeV harder than any background jet: "
                + signal.get("auc"));

        Path avro = dir.resolve("few.avro");
        assertEquals(0, ReplayCommandTest.run(new SimulateCommand(), "--events", "100", "--output", avro.toString())
                .code());
        Outcome avroForTable = evaluate("--bundle", tableBundle.toString(), "--input", avro.toString(), "--report",
                out.toString(), "--set", "working-points=loose:1e-2");
        assertEquals(1, avroForTable.code());
        assertTrue(avroForTable.err().contains("its events carry trigger objects"), avroForTable.err());
    }

    private static void assertPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), file + " is not a PNG");
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file.toString());
        assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, file + ": " + image.getWidth() + "x"
                + image.getHeight());
    }
}
