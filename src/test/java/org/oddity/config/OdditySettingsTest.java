package org.oddity.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.RunConditions;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.monitor.Correction;

/**
 * Settings: the documented defaults parse to the expected typed values; a --config file, then
 * ODDITY_* environment variables, then command-line overrides win in that order; and every
 * invalid value or unknown key stops start-up with one line that names the key and the value.
 */
class OdditySettingsTest {

    private static OdditySettings settings(Path file, Map<String, String> env, Map<String, String> overrides) {
        return OdditySettings.from(SettingsSource.load(file, env, overrides));
    }

    private static OdditySettings defaults() {
        return settings(null, Map.of(), Map.of());
    }

    @Test
    void defaultsParse() {
        OdditySettings s = defaults();
        assertEquals(List.of(new WorkingPoint("loose", 1e-2), new WorkingPoint("medium", 1e-3),
                new WorkingPoint("tight", 1e-4)), s.calibration().workingPoints().loosestFirst());
        // Each working point needs 1/alpha - 1; no floor is set.
        assertEquals(0, s.calibration().minSize());
        assertArrayEquals(new int[] {99, 999, 9_999}, s.calibration().minimumSizes());
        assertFalse(s.calibration().online().enabled());
        assertEquals(50_000, s.calibration().online().reservoirSize());
        assertEquals(Duration.ZERO, s.calibration().online().window());
        assertEquals(Duration.ofSeconds(10), s.calibration().online().publishInterval());
        assertEquals(Duration.ofMinutes(10), s.calibration().online().maxAge());
        CellScheme cells = s.calibration().cells();
        assertEquals(3, cells.levels());
        assertEquals(12, cells.cellsAt(0));
        assertEquals(4, cells.cellsAt(1));
        assertEquals(List.of("pileup<30", "30<=pileup<40", "40<=pileup<50", "pileup>=50"),
                List.of(cells.cellName(1, 0), cells.cellName(1, 1), cells.cellName(1, 2), cells.cellName(1, 3)));
        assertEquals("30<=pileup<40|detectorState=ECAL_ENDCAP_OUT", cells.cellName(0, 4));
        assertEquals("pileup>=50|detectorState=OTHER", cells.cellName(0, 11));
        assertEquals(CellScheme.GLOBAL, cells.cellName(2, 0));
        assertEquals("", s.kafka().bootstrapServers());
        assertEquals("oddity", s.streams().applicationId());
        assertEquals("", s.kafka().topicPrefix());
        assertEquals(2, s.kafka().topicPartitions());
        assertEquals(1, s.kafka().topicReplicationFactor());
        assertEquals(Map.of(), s.kafka().clientProperties());
        assertNull(s.modelBundle());
        assertEquals(PValueMode.CONSERVATIVE, s.calibration().pValueMode());
        assertEquals(1L, s.calibration().pValueSeed());
        assertEquals(1, s.streams().threads());
        assertEquals(ProcessingGuarantee.EXACTLY_ONCE_V2, s.streams().processingGuarantee());
        assertEquals(Path.of("work"), s.workDir());
        assertEquals(new MetricsSettings("127.0.0.1", 9464, Duration.ofSeconds(10), 16), s.metrics());
        assertTrue(s.metrics().enabled());
    }

    @Test
    void metricsEndpointCanBeMovedOrTurnedOff() {
        OdditySettings moved = settings(null, Map.of("ODDITY_METRICS_PORT", "19464"), Map.of("metrics.host", "0.0.0.0",
                "metrics.latency.interval", "30s", "metrics.latency.sample-every", "1"));
        assertEquals(new MetricsSettings("0.0.0.0", 19464, Duration.ofSeconds(30), 1), moved.metrics());
        OdditySettings off = settings(null, Map.of(), Map.of("metrics.port", "0"));
        assertFalse(off.metrics().enabled());
        assertEquals("::1", settings(null, Map.of(), Map.of("metrics.host", "::1")).metrics().host());
    }

    @Test
    void environmentOverridesDefaults() {
        OdditySettings s = settings(null, Map.of("ODDITY_WORKING_POINTS", "wide:0.05, narrow:0.005",
                "ODDITY_TOPICS_PREFIX", "cms.", "PATH", "/usr/bin", "HOME", "/root"), Map.of());
        assertEquals(List.of(new WorkingPoint("wide", 0.05), new WorkingPoint("narrow", 0.005)),
                s.calibration().workingPoints().loosestFirst());
        assertArrayEquals(new int[] {19, 199}, s.calibration().minimumSizes());
        assertEquals("cms.", s.kafka().topicPrefix());
        assertEquals("ODDITY_WORKING_POINTS", SettingsSource.envName("working-points"));
        assertEquals("ODDITY_STREAMS_PROCESSING_GUARANTEE", SettingsSource.envName("streams.processing-guarantee"));
    }

    @Test
    void overridesBeatEnvironmentWhichBeatsTheConfigFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("oddity.properties");
        Files.writeString(file, "# site settings\ntopics.prefix=file.\ntopics.partitions=8\npvalue.mode=randomized\n"
                + "streams.threads=3\nmodel.bundle=/models/hbos-1\n");
        OdditySettings fileOnly = settings(file, Map.of(), Map.of());
        assertEquals("file.", fileOnly.kafka().topicPrefix());
        assertEquals(8, fileOnly.kafka().topicPartitions());
        assertEquals(PValueMode.RANDOMIZED, fileOnly.calibration().pValueMode());
        assertEquals(Path.of("/models/hbos-1"), fileOnly.modelBundle());

        Map<String, String> env = Map.of("ODDITY_TOPICS_PREFIX", "env.", "ODDITY_STREAMS_THREADS", "4");
        OdditySettings withEnv = settings(file, env, Map.of());
        assertEquals("env.", withEnv.kafka().topicPrefix());
        assertEquals(4, withEnv.streams().threads());
        assertEquals(8, withEnv.kafka().topicPartitions());

        OdditySettings all = settings(file, env, Map.of("topics.prefix", "cli.", "calibration.min-size", " 20000 "));
        assertEquals("cli.", all.kafka().topicPrefix());
        assertEquals(4, all.streams().threads());
        assertEquals(20_000, all.calibration().minSize());
        assertArrayEquals(new int[] {20_000, 20_000, 20_000}, all.calibration().minimumSizes());
    }

    @Test
    void launcherVariableIsIgnored() {
        OdditySettings s = settings(null, Map.of("ODDITY_JAVA_OPTS", "-Xmx2g -XX:+UseZGC"), Map.of());
        assertEquals(0, s.calibration().minSize());
    }

    @Test
    void validValuesAtTheEdgesAreAccepted() {
        OdditySettings s = settings(null, Map.of(), Map.of("bootstrap.servers", "localhost:9092,broker-2.cern.ch:19092",
                "topics.partitions", "1000", "streams.threads", "64", "streams.processing-guarantee", "exactly_once_v2",
                "pvalue.seed", "-9223372036854775808", "cells.dimensions", "pileup:edges=;detectorState:states=ALL_IN,ECAL_ENDCAP_OUT", "cells.fallback",
                "pileup+detectorState;global"));
        assertEquals("localhost:9092,broker-2.cern.ch:19092", s.kafka().bootstrapServers());
        assertEquals(1000, s.kafka().topicPartitions());
        assertEquals(64, s.streams().threads());
        assertEquals(ProcessingGuarantee.EXACTLY_ONCE_V2, s.streams().processingGuarantee());
        assertEquals(Long.MIN_VALUE, s.calibration().pValueSeed());
        assertEquals(3, s.calibration().cells().cellsAt(0));
        assertEquals("any pileup|detectorState=ALL_IN", s.calibration().cells().cellName(0, 0));
    }

    @Test
    void cellsSplitOnAnyRunConditionFieldNumericOrCategorical() {
        OdditySettings s = settings(null, Map.of(), Map.of("cells.dimensions",
                "instLumi:edges=1.0,1.5 ; extra.beamMode:states=STABLE ; extra.solenoidTesla:edges=3.5",
                "cells.fallback", "instLumi+extra.beamMode+extra.solenoidTesla;extra.beamMode;global",
                "calibration.online.enabled", "true", "calibration.online.window", "30m",
                "calibration.online.reservoir-size", "120000", "calibration.max-age", "0"));
        CellScheme cells = s.calibration().cells();
        assertEquals(3 * 2 * 2, cells.cellsAt(0));
        assertEquals("instLumi<1|extra.beamMode=STABLE|extra.solenoidTesla<3.5", cells.cellName(0, 0));
        assertEquals("extra.beamMode=OTHER", cells.cellName(1, 1));
        RunConditions stable = RunConditions.newBuilder().setInstLumi(1.2f)
                .setExtra(Map.of("beamMode", "STABLE", "solenoidTesla", "3.8")).build();
        assertEquals("1<=instLumi<1.5|extra.beamMode=STABLE|extra.solenoidTesla>=3.5",
                cells.cellName(0, cells.finestCellOf(stable)));
        RunConditions notANumber = RunConditions.newBuilder().setInstLumi(1.2f)
                .setExtra(Map.of("beamMode", "ADJUST", "solenoidTesla", "off")).build();
        assertEquals(-1, cells.finestCellOf(notANumber));
        assertEquals("extra.solenoidTesla", cells.missingField(notANumber));
        assertTrue(s.calibration().online().enabled());
        assertEquals(Duration.ofMinutes(30), s.calibration().online().window());
        assertEquals(120_000, s.calibration().online().reservoirSize());
        assertEquals(Duration.ZERO, s.calibration().online().maxAge());
    }

    /** Asserts that {@code overrides} are refused with a one-line message naming {@code key}. */
    private static InvalidSettingException refused(String key, Map<String, String> env, Map<String, String> overrides) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> settings(null, env, overrides));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith("invalid setting " + key + "="), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
        return e;
    }

    private static InvalidSettingException refused(String key, String value) {
        return refused(key, Map.of(), Map.of(key, value));
    }

    @Test
    void invalidValuesNameTheirKey() {
        assertEquals("invalid setting topics.partitions='0': expected an integer in [1, 1000]",
                refused("topics.partitions", "0").getMessage());
        refused("topics.partitions", "1001");
        refused("topics.partitions", "two");
        assertTrue(refused("working-points", "loose:2").getMessage().startsWith(
                "invalid setting working-points='loose:2': expected name:alpha pairs"));
        refused("working-points", "loose:0.01,tight:0.01");
        refused("working-points", "loose:0.01,loose:0.001");
        refused("working-points", "loose");
        refused("working-points", "bad name:0.1");
        assertEquals("invalid setting pvalue.mode='maybe': expected conservative or randomized",
                refused("pvalue.mode", "maybe").getMessage());
        refused("pvalue.seed", "1.5");
        assertTrue(refused("cells.dimensions", "pileup:edges=50,40").getMessage().contains("strictly increasing"));
        refused("cells.dimensions", "pileup:edges=30,x");
        refused("cells.dimensions", "pileup=30,40");
        refused("cells.dimensions", "temperature:edges=3");
        refused("cells.dimensions", "pileup:states=LOW");
        refused("cells.dimensions", "pileup:edges=30;pileup:edges=40");
        assertTrue(refused("cells.fallback", "pileup+detectorState;pileup").getMessage().contains("global"));
        refused("cells.fallback", "pileup;global");
        refused("cells.fallback", "pileup+detectorState;pileup;pileup;global");
        refused("cells.dimensions", "pileup:edges=30,40,50;detectorState:states=ALL_IN,ALL_IN");
        refused("calibration.online.enabled", "yes");
        refused("calibration.online.reservoir-size", "120001");
        refused("calibration.online.window", "-5m");
        refused("calibration.online.publish-interval", "0");
        refused("calibration.max-age", "soon");
        assertEquals("invalid setting bootstrap.servers='nohostport': expected host:port[,host:port...]",
                refused("bootstrap.servers", "nohostport").getMessage());
        refused("bootstrap.servers", "host:9092,");
        refused("application.id", "has space");
        refused("topics.prefix", "a/b");
        refused("streams.threads", "0");
        assertEquals("invalid setting streams.processing-guarantee='exactly_once': expected at_least_once or"
                + " exactly_once_v2", refused("streams.processing-guarantee", "exactly_once").getMessage());
        refused("streams.processing-guarantee", "AT_LEAST_ONCE");
        assertEquals("invalid setting monitor.correction='holm': expected benjamini-hochberg or bonferroni",
                refused("monitor.correction", "holm").getMessage());
        assertEquals("invalid setting monitor.enabled='yes': expected true or false",
                refused("monitor.enabled", "yes").getMessage());
        refused("monitor.enabled", "TRUE");
        refused("work.dir", "  ");
        refused("calibration.min-size", "-1");
        assertEquals("invalid setting metrics.port='65536': expected an integer in [0, 65535]",
                refused("metrics.port", "65536").getMessage());
        refused("metrics.port", "-1");
        refused("metrics.port", "http");
        refused("metrics.port", "");
        assertTrue(refused("metrics.host", "local host").getMessage().contains("host name or IP address"));
        refused("metrics.host", "");
        refused("metrics.latency.interval", "0");
        refused("metrics.latency.interval", "often");
        refused("metrics.latency.sample-every", "0");
        refused("metrics.latency.sample-every", "1000001");
    }

    @Test
    void unknownKeysAreRefused(@TempDir Path dir) throws IOException {
        assertTrue(refused("foo.bar", "1").getMessage().contains("no such setting"));
        InvalidSettingException env = refused("ODDITY_NOPE", Map.of("ODDITY_NOPE", "x"), Map.of());
        assertEquals("invalid setting ODDITY_NOPE=[hidden]: no such setting (see oddity-defaults.properties for the"
                + " keys)", env.getMessage());
        // A key oddity does not know may be a password's with a typo: its value is not shown.
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                + " password=\"pw-7f3a\";";
        InvalidSettingException forgotPrefix = refused("ODDITY_SASL_JAAS_CONFIG", Map.of("ODDITY_SASL_JAAS_CONFIG",
                jaas), Map.of());
        assertFalse(forgotPrefix.getMessage().contains("pw-7f3a"), forgotPrefix.getMessage());
        assertFalse(refused("sasl.jaas.config", jaas).getMessage().contains("pw-7f3a"));
        refused("kafka.", "x");
        refused("ODDITY_KAFKA_", Map.of("ODDITY_KAFKA_", "x"), Map.of());
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "topics.partitions=3\nwork.dri=/tmp/x\n");
        InvalidSettingException inFile = assertThrows(InvalidSettingException.class,
                () -> settings(file, Map.of(), Map.of()));
        assertEquals("work.dri", inFile.key());
        assertTrue(inFile.getMessage().contains("in " + file), inFile.getMessage());
        InvalidSettingException missing = assertThrows(InvalidSettingException.class,
                () -> settings(dir.resolve("absent.properties"), Map.of(), Map.of()));
        assertEquals("--config", missing.key());
        assertTrue(missing.getMessage().startsWith("invalid setting --config="), missing.getMessage());
    }

    @Test
    void replicationFactorIsOneByDefaultOrTheBrokersWithMinusOne() {
        assertEquals(3, settings(null, Map.of(), Map.of("topics.replication-factor", "3")).kafka()
                .topicReplicationFactor());
        assertEquals(-1, settings(null, Map.of("ODDITY_TOPICS_REPLICATION_FACTOR", "-1"), Map.of()).kafka()
                .topicReplicationFactor());
        assertEquals(32767, settings(null, Map.of(), Map.of("topics.replication-factor", "32767")).kafka()
                .topicReplicationFactor());
        assertEquals("invalid setting topics.replication-factor='0': expected an integer in [1, 32767], or -1 for"
                + " the broker's default.replication.factor", refused("topics.replication-factor", "0").getMessage());
        refused("topics.replication-factor", "-2");
        refused("topics.replication-factor", "32768");
        refused("topics.replication-factor", "three");
    }

    @Test
    void kafkaClientPropertiesComeFromEverySourceUnderTheirPrefix(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cluster.properties");
        Files.writeString(file, "kafka.security.protocol=SSL\nkafka.ssl.truststore.location=/etc/kafka/truststore.p12\n"
                + "kafka.consumer.max.poll.records=500\n");
        Map<String, String> env = Map.of("ODDITY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "ODDITY_KAFKA_PRODUCER_LINGER_MS", "20", "ODDITY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        KafkaSettings kafka = settings(file, env, Map.of("kafka.consumer.max.poll.records", " 1000 ",
                "kafka.streams.topology.optimization", "all")).kafka();
        assertEquals(Map.of("kafka.security.protocol", "SASL_SSL",
                "kafka.ssl.truststore.location", "/etc/kafka/truststore.p12",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.producer.linger.ms", "20",
                "kafka.consumer.max.poll.records", "1000",
                "kafka.streams.topology.optimization", "all"), kafka.clientProperties());
        assertEquals(List.copyOf(new TreeSet<>(kafka.clientProperties().keySet())),
                List.copyOf(kafka.clientProperties().keySet()), "in key order");
        assertEquals("ODDITY_KAFKA_SASL_JAAS_CONFIG", SettingsSource.envName("kafka.sasl.jaas.config"));
    }

    @Test
    void kafkaSettingsPrintNoClientPropertyValue() {
        KafkaSettings kafka = settings(null, Map.of("ODDITY_KAFKA_SASL_JAAS_CONFIG", "secret-jaas-7f3a"), Map.of())
                .kafka();
        assertEquals("secret-jaas-7f3a", kafka.clientProperties().get("kafka.sasl.jaas.config"));
        assertFalse(kafka.toString().contains("secret-jaas-7f3a"), kafka.toString());
        assertTrue(kafka.toString().contains("kafka.sasl.jaas.config"), kafka.toString());
    }

    @Test
    void enumsParseFromTheirSettingValues() {
        assertEquals("at_least_once", ProcessingGuarantee.AT_LEAST_ONCE.settingValue());
        assertEquals("exactly_once_v2", ProcessingGuarantee.EXACTLY_ONCE_V2.settingValue());
        // The p-value mode alone has always been read in either case.
        assertEquals(PValueMode.RANDOMIZED,
                settings(null, Map.of(), Map.of("pvalue.mode", "RANDOMIZED")).calibration().pValueMode());
        OdditySettings bonferroni = settings(null, Map.of(), Map.of("monitor.correction", "bonferroni",
                "monitor.enabled", "false"));
        assertEquals(Correction.BONFERRONI, bonferroni.monitoring().tests().correction());
        assertFalse(bonferroni.monitoring().enabled());
    }

    @Test
    void builderChangesOnlyWhatItIsTold() {
        OdditySettings s = defaults();
        assertEquals(s, s.toBuilder().build());
        OdditySettings local = s.toBuilder().bootstrapServers("127.0.0.1:39092").applicationId("oddity-run-7")
                .modelBundle(Path.of("b")).build();
        assertEquals(new KafkaSettings("127.0.0.1:39092", "", 2, 1, null, Map.of()), local.kafka());
        assertEquals(new StreamsSettings("oddity-run-7", 1, ProcessingGuarantee.EXACTLY_ONCE_V2, 0, "",
                Duration.ZERO), local.streams());
        assertEquals(Path.of("b"), local.modelBundle());
        assertEquals(new OdditySettings(s.kafka(), s.streams(), null, s.calibration(), s.monitoring(), s.topFeatures(),
                s.workDir(), s.metrics()), s);
        assertEquals(new OdditySettings(local.kafka(), local.streams(), local.modelBundle(), s.calibration(),
                s.monitoring(), s.topFeatures(), s.workDir(), s.metrics()), local);

        MonitoringSettings off = settings(null, Map.of(), Map.of("monitor.enabled", "false")).monitoring();
        OdditySettings quiet = local.toBuilder().monitoring(off).build();
        assertFalse(quiet.monitoring().enabled());
        assertEquals(new OdditySettings(local.kafka(), local.streams(), local.modelBundle(), s.calibration(), off,
                s.topFeatures(), s.workDir(), s.metrics()), quiet);
    }
}
