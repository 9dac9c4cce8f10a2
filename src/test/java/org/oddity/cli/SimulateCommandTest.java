package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.config.InvalidSettingException;
import picocli.CommandLine;

/** {@code oddity simulate}: the files it writes are standard Avro, its summary counts what it wrote. */
class SimulateCommandTest {

    /** Standard output of one run of the command with {@code args}, which must succeed. */
    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new SimulateCommand()).execute(args));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Truth label (null: background) to count, read with Avro's generic reader: no oddity code on the read path. */
    private static Map<String, Long> readLabels(Path file, long expectedRecords) throws Exception {
        Map<String, Long> labels = new TreeMap<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>())) {
            assertEquals(CollisionEvent.getClassSchema(), reader.getSchema());
            long n = 0;
            GenericRecord record = null;
            while (reader.hasNext()) {
                record = reader.next(record);
                n++;
                assertEquals(n, (long) record.get("event"));
                Object truth = record.get("truth");
                labels.merge(truth == null ? "(background)" : truth.toString(), 1L, Long::sum);
            }
            assertEquals(expectedRecords, n);
        }
        return labels;
    }

    @Test
    void writesAStandardAvroContainerFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sim.avro");
        String out = run("--events", "200000", "--seed", "7", "--output", file.toString());
        assertEquals(Map.of("(background)", 200_000L), readLabels(file, 200_000));
        assertTrue(out.startsWith("200,000 events to " + file + " in "), out);
        assertTrue(out.contains("events/s"), out);
    }

    @Test
    void summaryCountsEveryTruthLabel(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, """
                fills: [{duration: 600}]
                signals: [{kind: dijet, probability: 0.01, start: 100, end: 400}]
                faults: [{kind: hot-channel, probability: 0.2, start: 300, end: 500}]
                """);
        Path file = dir.resolve("s.avro");
        String out = run("--scenario", scenario.toString(), "--events", "60000", "--seed", "3", "--codec", "deflate",
                "--output", file.toString());
        Map<String, Long> labels = readLabels(file, 60_000);
        assertEquals(4, labels.size(), labels.toString());
        labels.forEach((label, n) -> assertTrue(out.contains(String.format("%-40s %,12d", label, n)),
                label + " " + n + " in\n" + out));
    }

    @Test
    void rateIsPacedInWallClockTime(@TempDir Path dir) {
        long start = System.nanoTime();
        run("--events", "2000", "--rate", "10000", "--output", dir.resolve("paced.avro").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.19, "2,000 events at 10,000/s took " + seconds + " s");
    }

    private static InvalidSettingException refused(String... args) {
        SimulateCommand command = new SimulateCommand();
        new CommandLine(command).parseArgs(args);
        return assertThrows(InvalidSettingException.class, command::call);
    }

    @Test
    void withoutOutputOrClusterItNamesBootstrapServers() {
        assertEquals("bootstrap.servers", refused("--events", "10").key());
    }

    @Test
    void badScenarioIsRefusedNamingTheField(@TempDir Path dir) throws Exception {
        Path scenario = dir.resolve("bad.yaml");
        Files.writeString(scenario, "signals: [{kind: A_4l, probability: 2}]\n");
        InvalidSettingException e = refused("--scenario", scenario.toString(), "--output",
                dir.resolve("x.avro").toString());
        assertEquals("--scenario", e.key());
        assertTrue(e.getMessage().contains("signals[0].probability: expected a number in [0.0, 1.0], got 2.0"),
                e.getMessage());
        assertEquals("--scenario", refused("--scenario", dir.resolve("missing.yaml").toString(), "--output",
                dir.resolve("x.avro").toString()).key());
        assertEquals("--codec", refused("--codec", "lz77", "--output", dir.resolve("x.avro").toString()).key());
        assertEquals("--events", refused("--events", "0", "--output", dir.resolve("x.avro").toString()).key());
        assertEquals("--rate", refused("--rate", "-1", "--output", dir.resolve("x.avro").toString()).key());
    }
}
