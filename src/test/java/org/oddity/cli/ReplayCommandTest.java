package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.config.InvalidSettingException;
import picocli.CommandLine;

/**
 * {@code oddity replay} without a cluster: every option and file problem is reported before Kafka
 * is contacted, naming the flag, the column or the line.
 */
class ReplayCommandTest {

    /** An unused port: reaching it would mean the command contacted Kafka before checking its input. */
    private static final String NO_BROKER = "127.0.0.1:9";

    /** Exit code, standard error and the exception picocli's handler saw, of one run. */
    record Outcome(int code, String out, String err, Exception thrown) {

        /** The key of the {@link InvalidSettingException} the run stopped with. */
        String invalidKey() {
            return assertInstanceOf(InvalidSettingException.class, thrown, err).key();
        }
    }

    /** Runs {@code command} as the {@code oddity} executable would, capturing its output and exception. */
    static Outcome run(Callable<Integer> command, String... args) {
        CommandLine cli = new CommandLine(command);
        AtomicReference<Exception> thrown = new AtomicReference<>();
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            thrown.set(e);
            return e instanceof InvalidSettingException ? Oddity.EXIT_BAD_SETTING : 1;
        });
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = cli.execute(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                    thrown.get());
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    private static Outcome replay(String... args) {
        return run(new ReplayCommand(), args);
    }

    @TempDir
    Path dir;

    private Path csv(String text) throws Exception {
        Path file = dir.resolve("jets.csv");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void needsACluster() throws Exception {
        Outcome outcome = replay(csv("pt\n1\n").toString());
        assertEquals(2, outcome.code());
        assertEquals("bootstrap.servers", outcome.invalidKey());
        assertTrue(outcome.thrown().getMessage().contains("oddity replay needs a Kafka cluster"));
    }

    @Test
    void badOptionsNameTheFlag() throws Exception {
        Path file = csv("pt,state\n1,ALL_IN\n");
        assertEquals("--rate", replay(file.toString(), "--bootstrap-servers", NO_BROKER, "--rate", "-1").invalidKey());
        assertEquals("--format", replay(dir.resolve("jets.txt").toString(), "--bootstrap-servers", NO_BROKER)
                .invalidKey());
        assertEquals("--format", replay(file.toString(), "--bootstrap-servers", NO_BROKER, "--format", "xls")
                .invalidKey());
        Outcome misspelt = replay(file.toString(), "--bootstrap-servers", NO_BROKER, "--condition",
                "detectorstate=state");
        assertEquals("--condition", misspelt.invalidKey());
        assertEquals("invalid setting --condition='detectorstate=state': run-condition field detectorstate is spelled"
                + " detectorState", misspelt.thrown().getMessage());
        assertEquals("--constant-condition", replay(file.toString(), "--bootstrap-servers", NO_BROKER,
                "--constant-condition", "pileup=high").invalidKey());
        assertEquals("--constant-condition", replay(file.toString(), "--bootstrap-servers", NO_BROKER,
                "--constant-condition", "detectorState=ALL_IN", "--condition", "detectorState=state").invalidKey());
        assertEquals("--timestamp-seconds-column", replay(file.toString(), "--bootstrap-servers", NO_BROKER,
                "--timestamp-nanos-column", "pt", "--timestamp-seconds-column", "pt").invalidKey());
        assertEquals("--feature-columns", replay(dir.resolve("events.avro").toString(), "--bootstrap-servers",
                NO_BROKER, "--feature-columns", "pt").invalidKey(), "column flags do not apply to Avro files");
    }

    @Test
    void aMissingColumnIsAnInvalidOptionNamingTheColumns() throws Exception {
        Path file = csv("pt,state\n1,ALL_IN\n");
        Outcome outcome = replay(file.toString(), "--bootstrap-servers", NO_BROKER, "--condition", "pileup=pu");
        assertEquals(2, outcome.code(), outcome.err());
        assertNull(outcome.thrown());
        assertEquals("oddity: " + file + " has no column 'pu' (mapped as condition pileup); its columns: pt, state",
                outcome.err().strip());
    }

    @Test
    void anUnreadableFileStopsWithItsLine() throws Exception {
        Path file = csv("pt,eta\n1,2,3\n");
        Outcome outcome = replay(file.toString(), "--bootstrap-servers", NO_BROKER);
        assertEquals(1, outcome.code(), outcome.err());
        assertEquals("oddity: " + file + ", line 2: 3 columns, the header has 2", outcome.err().strip());

        Outcome missing = replay(dir.resolve("nope.csv").toString(), "--bootstrap-servers", NO_BROKER);
        assertEquals(1, missing.code());
        assertEquals("oddity: " + dir.resolve("nope.csv") + " does not exist", missing.err().strip());

        Path empty = csv("");
        Outcome none = replay(empty.toString(), "--bootstrap-servers", NO_BROKER);
        assertEquals(1, none.code());
        assertEquals("oddity: " + empty + " is empty: a CSV event file starts with a header row", none.err().strip());
    }

    @Test
    void theDatasetFlagPicksPandasAndNamedMatrixLayouts() throws Exception {
        for (String[] layout : new String[][] {{"pandas_fixed.h5", "/events", "run, event, pt, eta"},
                {"pandas_table.h5", "/events", "run, event, pt, eta, state"},
                {"matrix_lzf.h5", "/features", "run, event, pt, eta"}}) {
            Path file = Path.of(getClass().getResource("/hdf5/" + layout[0]).toURI());
            Outcome outcome = replay(file.toString(), "--bootstrap-servers", NO_BROKER, "--dataset", layout[1],
                    "--run-column", "run", "--condition", "pileup=pu");
            assertEquals(2, outcome.code(), outcome.err());
            assertEquals("oddity: " + file + " has no column 'pu' (mapped as condition pileup); its columns: "
                    + layout[2], outcome.err().strip());
        }
        Path blosc = Path.of(getClass().getResource("/hdf5/pandas_blosc.h5").toURI());
        Outcome outcome = replay(blosc.toString(), "--bootstrap-servers", NO_BROKER, "--dataset", "/events");
        assertEquals(1, outcome.code(), outcome.err());
        assertEquals("oddity: " + blosc + ": dataset /events/table is compressed with HDF5 filter 'blosc' (id 32001),"
                + " which jHDF cannot decode; write it with gzip (pandas complib='zlib'), lzf or no compression",
                outcome.err().strip());
    }
}
