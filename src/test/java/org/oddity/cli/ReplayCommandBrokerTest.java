package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.cli.ReplayCommandTest.Outcome;
import org.oddity.client.KafkaClientSettings;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.eventfile.BadRows;
import org.oddity.eventfile.ColumnMapping;
import org.oddity.eventfile.CsvEventFile;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.oddity.testing.KafkaFixture;
import org.oddity.topology.ScoringApplication;
import org.oddity.topology.Topics;

/**
 * Replay on a real broker. The acceptance test: a labelled CSV of L1 features is trained on,
 * replayed into a running scoring application, and every flag read back from the anomalies
 * topic carries exactly the score and p-value that scoring the file offline gives.
 */
@Tag("broker")
class ReplayCommandBrokerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int ROWS = 5000;
    private static final int SIGNAL_EVERY = 499;
    private static final int NAN_EVERY = 1201;
    private static final String WORKING_POINTS = "working-points=loose:1e-2";

    /** The column flags of the labelled table, shared by train, replay and the offline scoring. */
    private static final String[] COLUMNS = {"--run-column", "run", "--lumisection-column", "lumisection",
        "--event-column", "event", "--timestamp-nanos-column", "timestamp_ns", "--condition", "pileup=pileup",
        "--condition", "detectorState=detectorState", "--label-column", "label"};

    @TempDir
    Path dir;

    /**
     * Simulated events flattened into the 57 L1 features, with pileup, detector state and a label;
     * every 499th row a signal-like outlier (four hard electrons, four hard muons and large MET),
     * every 1201st a NaN feature.
     */
    static void writeLabelledTable(Path file, int rows, long seed) throws IOException {
        L1ObjectsExtractor extractor = new L1ObjectsExtractor();
        float[] features = new float[extractor.featureNames().size()];
        int met = extractor.featureNames().indexOf("met_pt");
        int egammas = extractor.featureNames().indexOf("eg0_pt");
        int muons = extractor.featureNames().indexOf("mu0_pt");
        int egEta = extractor.featureNames().indexOf("eg0_eta");
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(rows, 3600), seed);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("run,lumisection,event,timestamp_ns,pileup,detectorState," + String.join(",",
                    extractor.featureNames()) + ",label\n");
            for (int i = 0; i < rows; i++) {
                CollisionEvent e = simulator.next();
                try {
                    extractor.extract(e, features);
                } catch (InvalidEventException ex) {
                    throw new IllegalStateException("the simulator made an invalid event", ex);
                }
                boolean signal = i % SIGNAL_EVERY == 250;
                if (signal) {
                    features[met] = 400f + i % 100;
                    for (int k = 0; k < 4; k++) {
                        features[egammas + 3 * k] = 300f - 40 * k;
                        features[muons + 3 * k] = 250f - 40 * k;
                        features[muons + 3 * k + 1] = 0.5f * k - 1f;
                        features[muons + 3 * k + 2] = 1.5f - k;
                    }
                }
                if (i % NAN_EVERY == 600) {
                    features[egEta] = Float.NaN;
                }
                StringBuilder row = new StringBuilder().append(e.getRun()).append(',').append(e.getLumisection())
                        .append(',').append(e.getEvent()).append(',').append(e.getTimestampNanos()).append(',')
                        .append(e.getConditions().getPileup()).append(',').append(e.getConditions().getDetectorState());
                for (float v : features) {
                    row.append(',').append(Float.isNaN(v) ? "nan" : Float.toString(v));
                }
                out.write(row.append(',').append(signal ? "signal" : "").append('\n').toString());
            }
        }
    }

    private static String[] args(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    private static ColumnMapping mapping() {
        return ColumnMapping.builder().runColumn("run").lumisectionColumn("lumisection").eventColumn("event")
                .timestampColumn("timestamp_ns", ColumnMapping.TimestampUnit.NANOSECONDS)
                .condition("pileup", "pileup").condition("detectorState", "detectorState").labelColumn("label")
                .build();
    }

    /** What the scoring application should do with one event, computed without Kafka. */
    private record Expected(boolean deadLetter, double score, double pValue, boolean flagged) {
    }

    private static Map<String, Expected> scoreOffline(Path csv, ScoringModel model) throws IOException {
        Map<String, Expected> expected = new HashMap<>();
        FeatureExtractor extractor = model.bundle().newExtractor();
        float[] features = new float[extractor.featureNames().size()];
        try (CsvEventFile events = CsvEventFile.open(csv, mapping(), BadRows.failing())) {
            while (events.hasNext()) {
                CollisionEvent e = events.next();
                String key = e.getRun() + ":" + e.getEvent();
                int cell = model.cells().finestCellOf(e.getConditions());
                try {
                    if (cell < 0) {
                        throw new InvalidEventException("no cell");
                    }
                    extractor.extract(e, features);
                } catch (InvalidEventException ex) {
                    expected.put(key, new Expected(true, Double.NaN, Double.NaN, false));
                    continue;
                }
                double score = model.bundle().scorer().score(features);
                ResolvedCell calibration = model.table().cellFor(cell);
                double p = calibration.set().pValue(score);
                expected.put(key, new Expected(false, score, p, model.workingPoints().tightestPassed(p) >= 0));
            }
        }
        return expected;
    }

    private static OdditySettings settings(String bootstrap, String prefix, Path work) {
        return OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of(
                "bootstrap.servers", bootstrap,
                "application.id", "oddity-replay-it-" + System.nanoTime(),
                "topics.prefix", prefix,
                "working-points", "loose:1e-2",
                "work.dir", work.toString())));
    }

    /** Every record of {@code topics} from the start to the current end, by topic. */
    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> readToEnd(KafkaClientSettings cluster,
            List<String> topics) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byTopic = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cluster.consumer(Map.of()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                byTopic.put(topic, new ArrayList<>());
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    byTopic.get(r.topic()).add(r);
                }
            }
        }
        return byTopic;
    }

    @Test
    void replayedTableGetsTheSameFlagsScoresAndPValuesAsScoringTheFileOffline() throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        Path csv = dir.resolve("l1-labelled.csv");
        writeLabelledTable(csv, ROWS, 21);
        Path bundle = dir.resolve("bundle");
        Outcome trained = ReplayCommandTest.run(new TrainCommand(), args(COLUMNS, "--input", csv.toString(),
                "--output", bundle.toString(), "--background-label=", "--set", WORKING_POINTS, "--seed", "5"));
        assertEquals(0, trained.code(), trained.err());

        String prefix = "replay-it-" + System.nanoTime() + ".";
        OdditySettings settings = settings(kafka.bootstrapServers(), prefix, dir);
        Topics topics = Topics.withPrefix(prefix);
        kafka.createTopics(2, topics.scoringTopicNames().toArray(String[]::new));
        ScoringModel model = ScoringModel.of(BundleReader.read(bundle), settings.calibration().cells(),
                settings.calibration().workingPoints(), settings.calibration().minSize());
        assertEquals("features", model.bundle().manifest().extractor());
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());

        Outcome replayed;
        try (ScoringApplication app = ScoringApplication.start(topics, settings,
                new ActiveModel(model, counters, settings.calibration().minSize()), counters,
                ScoringLatencies.of(settings.metrics()), new SimpleMeterRegistry())) {
            replayed = ReplayCommandTest.run(new ReplayCommand(), args(COLUMNS, csv.toString(),
                    "--bootstrap-servers", kafka.bootstrapServers(), "--set", "topics.prefix=" + prefix));
            assertEquals(0, replayed.code(), replayed.err());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (counters.totalEvents() + counters.totalDeadLetters() < ROWS && System.nanoTime() < deadline) {
                assertFalse(app.stopped(), "application stopped: " + app.state());
                Thread.sleep(100);
            }
        }
        assertTrue(replayed.out().startsWith("replayed " + csv + " to " + topics.events().name() + ": 5,000 rows read,"
                + " 5,000 events published in "), replayed.out());
        assertEquals(ROWS, counters.totalEvents() + counters.totalDeadLetters());

        Map<String, Expected> expected = scoreOffline(csv, model);
        Map<String, List<ConsumerRecord<byte[], byte[]>>> output = readToEnd(kafka.clientSettings(),
                List.of(topics.anomalies().name(), topics.deadLetters().name()));
        Map<String, FlaggedEvent> flagged = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : output.get(topics.anomalies().name())) {
            FlaggedEvent f = topics.anomalies().valueSerde().deserializer().deserialize(r.topic(), r.value());
            assertNull(flagged.put(new String(r.key(), StandardCharsets.UTF_8), f), "flagged once");
        }
        List<String> dead = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : output.get(topics.deadLetters().name())) {
            DeadLetter d = topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(), r.value());
            assertEquals(FailureStage.VALIDATE, d.getStage(), d.getReason());
            dead.add(new String(r.key(), StandardCharsets.UTF_8));
        }

        List<String> expectedFlags = expected.entrySet().stream().filter(e -> e.getValue().flagged())
                .map(Map.Entry::getKey).sorted().toList();
        assertEquals(expectedFlags, flagged.keySet().stream().sorted().toList(), "the same events are flagged");
        for (Map.Entry<String, FlaggedEvent> f : flagged.entrySet()) {
            Expected offline = expected.get(f.getKey());
            assertEquals(offline.score(), f.getValue().getScore(), f.getKey());
            assertEquals(offline.pValue(), f.getValue().getPValue(), f.getKey());
        }
        assertEquals(expected.entrySet().stream().filter(e -> e.getValue().deadLetter()).map(Map.Entry::getKey)
                .sorted().toList(), dead.stream().sorted().toList(), "the NaN rows are the dead letters");
        long unflagged = counters.totalEvents() - counters.totalFlagged();
        assertEquals(ROWS, unflagged + flagged.size() + dead.size());
        assertEquals(4, dead.size());

        // HBOS on zero-padded L1 slots has a heavy background tail, so not every outlier passes 1%; most do.
        long signals = flagged.values().stream().filter(f -> "signal".equals(f.getTruth())).count();
        assertTrue(signals >= 3, "the labels reach the flags, and outliers are flagged: " + signals + " of 10");
        double backgroundRate = (flagged.size() - signals) / (double) (ROWS - 10 - dead.size());
        assertTrue(backgroundRate < 0.02, "background flag rate " + backgroundRate);
    }

    @Test
    void skipBadReplaysTheGoodRowsInOrderAndReportsTheBadOnes() throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "replay-skip-" + System.nanoTime() + ".";
        Path csv = dir.resolve("jets.csv");
        Files.writeString(csv, "pt,eta,label\n1,0.1,a\n2,0.2\n3,x,b\n4,0.4,d\n5,0.5,e,extra\n6,0.6,f\n7,0.");
        String events = Topics.withPrefix(prefix).events().name();

        Outcome stopped = ReplayCommandTest.run(new ReplayCommand(), csv.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--set", "topics.prefix=" + prefix, "--label-column", "label",
                "--constant-condition", "detectorState=ALL_IN", "--create-topics", "--set", "topics.partitions=1");
        assertEquals(1, stopped.code());
        assertEquals("oddity: " + csv + ", line 3: 2 columns, the header has 3 (published before it: 1)",
                stopped.err().lines().filter(l -> l.startsWith("oddity:")).findFirst().orElse(stopped.err()));

        Outcome skipped = ReplayCommandTest.run(new ReplayCommand(), csv.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--set", "topics.prefix=" + prefix, "--label-column", "label",
                "--constant-condition", "detectorState=ALL_IN", "--skip-bad");
        assertEquals(0, skipped.code(), skipped.err());
        assertTrue(skipped.out().contains(": 7 rows read, 3 events published in "), skipped.out());
        assertTrue(skipped.out().contains("bad rows skipped: 4 (wrong column count 2, text in a number column 1,"
                + " truncated 1)"), skipped.out());

        Topics topics = Topics.withPrefix(prefix);
        List<String> labels = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readToEnd(kafka.clientSettings(), List.of(events)).get(events)) {
            CollisionEvent e = topics.events().valueSerde().deserializer().deserialize(events, r.value());
            labels.add(new String(r.key(), StandardCharsets.UTF_8) + "=" + e.getTruth());
        }
        assertEquals(List.of("1:1=a", "1:1=a", "1:4=d", "1:6=f"), labels,
                "the first run published the row before the bad one; the second, the good rows in file order");
    }
}
