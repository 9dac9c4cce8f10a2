package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ModelBundle;
import org.oddity.fixtures.TrainedBundle;

/**
 * The command line's contract for bad input: an invalid setting or option stops with exit code 2
 * and one line naming the key; a refused bundle exits 3; training writes a bundle that loads.
 */
class OddityCommandLineTest {

    /** Exit code and standard error of one run. */
    record Outcome(int code, String err) {
    }

    static Outcome run(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Outcome(Oddity.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    static void assertOneLineNaming(Outcome outcome, String key) {
        assertEquals(2, outcome.code(), outcome.err());
        String[] lines = outcome.err().strip().split("\\R");
        assertEquals(1, lines.length, outcome.err());
        assertTrue(lines[0].startsWith("oddity: invalid setting " + key + "="), lines[0]);
    }

    @Test
    void invalidSettingStopsWithExitCode2AndOneLineNamingTheKey() {
        assertOneLineNaming(run("run", "--set", "working-points=loose:2"), "working-points");
        assertOneLineNaming(run("run", "--set", "topics.partitions=0"), "topics.partitions");
        assertOneLineNaming(run("demo", "--set", "no.such.key=1"), "no.such.key");
        assertOneLineNaming(run("demo", "--duration", "-5s"), "--duration");
        assertOneLineNaming(run("demo", "--rate", "0"), "--rate");
        assertOneLineNaming(run("run", "--bootstrap-servers", "not a host"), "bootstrap.servers");
    }

    @Test
    void aKafkaClientPropertyKafkaWouldNotTakeStopsEveryCommandWithoutShowingASecret() {
        assertOneLineNaming(run("run", "--set", "kafka.linger.ms=20"), "kafka.linger.ms");
        assertOneLineNaming(run("publish-model", "--set", "kafka.streams.application.id=x", "bundle"),
                "kafka.streams.application.id");
        assertOneLineNaming(run("simulate", "--set", "kafka.producer.acks=some", "--output", "x.avro"),
                "kafka.producer.acks");
        // The settings are checked before any command runs, even one that makes no Kafka client.
        Outcome typo = run("evaluate", "--report", "r", "--set",
                "kafka.sasl.jaas.confg=PlainLoginModule required password=\"pw-9c2d\";");
        assertOneLineNaming(typo, "kafka.sasl.jaas.confg");
        assertTrue(typo.err().startsWith("oddity: invalid setting kafka.sasl.jaas.confg=[hidden]: "), typo.err());
        assertFalse(typo.err().contains("pw-9c2d"), typo.err());
    }

    @Test
    void aLocalBrokerCannotHoldMoreThanOneReplica(@TempDir Path dir) {
        assertOneLineNaming(run("broker", "--work-dir", dir.toString(), "--set", "topics.replication-factor=3"),
                "topics.replication-factor");
        assertOneLineNaming(run("demo", "--work-dir", dir.toString(), "--set", "topics.replication-factor=2"),
                "topics.replication-factor");
        assertOneLineNaming(run("bench", "--work-dir", dir.toString(), "--set", "topics.replication-factor=2"),
                "topics.replication-factor");
    }

    @Test
    void runNeedsACluster() {
        assertOneLineNaming(run("run"), "bootstrap.servers");
    }

    @Test
    void runRefusesABrokenBundleWithExitCode3(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\"formatVersion\": 1}");
        Outcome outcome = run("run", "--bootstrap-servers", "127.0.0.1:9", "--bundle", dir.toString());
        assertEquals(3, outcome.code(), outcome.err());
        assertTrue(outcome.err().startsWith("oddity: refused model bundle " + dir), outcome.err());
    }

    @Test
    void anUnreachableClusterIsOneLineNamingTheAddressWithExitCode4() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        Outcome outcome = run("run", "--bootstrap-servers", address, "--bundle", TrainedBundle.directory().toString());
        assertEquals(4, outcome.code(), outcome.err());
        String[] lines = outcome.err().strip().split("\\R");
        assertEquals(1, lines.length, outcome.err());
        assertTrue(lines[0].startsWith("oddity: cannot use Kafka at " + address + ": no broker reachable (" + address
                + ": "), lines[0]);
    }

    @Test
    void trainWritesABundleThatLoads(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("bundle");
        Outcome outcome = run("train", "--output", bundle.toString(), "--training-events", "5000",
                "--calibration-events", "20000", "--seed", "3");
        assertEquals(0, outcome.code(), outcome.err());
        ModelBundle loaded = BundleReader.read(bundle);
        assertEquals("l1-hbos", loaded.manifest().name());
        assertEquals(20_000, loaded.calibration().get("global").size());
    }

    @Test
    void trainsAnIsolationForestBundleThatLoadsAndScores(@TempDir Path dir) throws Exception {
        Path bundle = dir.resolve("iforest");
        Outcome outcome = run("train", "--scorer", "iforest", "--param", "trees=20", "--param", "subsample=128",
                "--output", bundle.toString(), "--training-events", "5000", "--calibration-events", "20000",
                "--set", "working-points=loose:1e-2");
        assertEquals(0, outcome.code(), outcome.err());
        ModelBundle loaded = BundleReader.read(bundle);
        assertEquals("iforest", loaded.manifest().scorer());
        assertEquals("l1-iforest", loaded.manifest().name());
        assertTrue(loaded.version().startsWith("iforest-"), loaded.version());
        double score = loaded.scorer().score(new float[57]);
        assertTrue(score > 0 && score <= 1, "isolation score " + score);
    }

    @Test
    void unknownScorerOrParameterStopsWithOneLine(@TempDir Path dir) {
        assertOneLineNaming(run("train", "--scorer", "nope", "--output", dir.toString()), "--scorer");
        assertOneLineNaming(run("train", "--scorer", "iforest", "--param", "bins=3", "--output", dir.toString()),
                "--param");
        assertOneLineNaming(run("train", "--param", "bins=1", "--output", dir.toString()), "--param");
        assertOneLineNaming(run("train", "--preprocess", "log-pt,whiten", "--output", dir.toString()),
                "--preprocess");
        assertOneLineNaming(run("train", "--scorer", "onnx", "--output", dir.toString()), "--scorer");
    }

    @Test
    void trainsDensityBundlesThatLoadAndScore(@TempDir Path dir) throws Exception {
        for (String[] family : new String[][] {{"mahalanobis"}, {"gmm", "--param", "components=2", "--param",
            "iterations=10"}, {"kde", "--param", "points=300"}}) {
            Path bundle = dir.resolve(family[0]);
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--preprocess",
                    "log-pt,standardize,clip=10", "--scorer"));
            args.addAll(java.util.List.of(family));
            args.addAll(java.util.List.of("--output", bundle.toString(), "--training-events", "5000",
                    "--calibration-events", "20000", "--set", "working-points=loose:1e-2"));
            Outcome outcome = run(args.toArray(String[]::new));
            assertEquals(0, outcome.code(), outcome.err());
            ModelBundle loaded = BundleReader.read(bundle);
            assertEquals(family[0], loaded.manifest().scorer());
            assertEquals(3, loaded.manifest().preprocessing().size(), family[0]);
            assertTrue(Double.isFinite(loaded.scorer().score(new float[57])), family[0]);
            assertEquals(20_000, loaded.calibration().get("global").size());
        }
    }

    @Test
    void trainsNeuralBundlesWithTheirDefaultPreprocessing(@TempDir Path dir) throws Exception {
        for (String family : new String[] {"autoencoder", "vae-latent"}) {
            Path bundle = dir.resolve(family);
            Outcome outcome = run("train", "--scorer", family, "--param", "epochs=1", "--param", "layers=16",
                    "--output", bundle.toString(), "--training-events", "5000", "--calibration-events", "20000",
                    "--set", "working-points=loose:1e-2");
            assertEquals(0, outcome.code(), outcome.err());
            ModelBundle loaded = BundleReader.read(bundle);
            assertEquals(family, loaded.manifest().scorer());
            assertEquals("l1-" + family, loaded.manifest().name());
            assertEquals(2, loaded.manifest().preprocessing().size(), family + ": log-pt, standardize");
            assertTrue(Double.isFinite(loaded.scorer().score(new float[57])), family);
            assertEquals(20_000, loaded.calibration().get("global").size());
        }
        assertOneLineNaming(run("train", "--scorer", "vae-latent", "--param", "beta=0", "--output", dir.toString()),
                "--param");
    }
}
