package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.PhysicsObject;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;

/**
 * The scoring topology on {@link TopologyTestDriver}: flags come out at the calibrated rate with
 * complete metadata, every class of bad input reaches the dead-letter topic with its reason and
 * original bytes, and every input is accounted for.
 */
class AnomalyTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final OdditySettings settings = TrainedBundle.defaultSettings();
    private final Topics topics = Topics.withPrefix("");
    private ScoringModel model;
    private CellCounters counters;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<byte[], FlaggedEvent> anomalies;
    private TestOutputTopic<byte[], DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        model = TrainedBundle.model(settings);
        counters = new CellCounters(settings.calibration().cells(), settings.calibration().workingPoints().size());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings,
                new ActiveModel(model, counters, settings.calibration().minSize()), counters,
                ScoringLatencies.of(settings.metrics()), Clock.fixed(NOW, ZoneOffset.UTC)), props);
        input = driver.createInputTopic(topics.events().name(), new StringSerializer(), new ByteArraySerializer());
        anomalies = driver.createOutputTopic(topics.anomalies().name(), new ByteArrayDeserializer(),
                topics.anomalies().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters().name(), new ByteArrayDeserializer(),
                topics.deadLetters().valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private byte[] encode(CollisionEvent event) {
        return topics.eventCodec().encode(event);
    }

    @Test
    void flagsGoodEventsAtTheCalibratedRateWithFullMetadata() {
        int n = 30_000;
        DaqSimulator events = TrainedBundle.events(n, 99);
        while (events.hasNext()) {
            CollisionEvent e = events.next();
            input.pipeInput(e.getRun() + ":" + e.getEvent(), encode(e));
        }
        List<TestRecord<byte[], FlaggedEvent>> flagged = anomalies.readRecordsToList();
        double alpha = settings.calibration().workingPoints().loosest().alpha();
        // The flag count varies with the test events (binomial) and with the finite calibration
        // set (the coverage of a fixed set has variance about alpha(1-alpha)/n_cal): 5 combined sigma.
        double sigma = Math.sqrt(alpha * (1 - alpha) * (1.0 / n + 1.0 / TrainedBundle.CALIBRATION_EVENTS));
        double rate = flagged.size() / (double) n;
        assertTrue(Math.abs(rate - alpha) < 5 * sigma, "flag rate " + rate + " vs alpha " + alpha + " +- " + sigma);
        assertEquals(n, counters.totalEvents());
        assertEquals(flagged.size(), counters.totalFlagged());
        assertTrue(deadLetters.isEmpty());

        for (TestRecord<byte[], FlaggedEvent> record : flagged) {
            FlaggedEvent f = record.value();
            assertEquals(f.getRun() + ":" + f.getEvent(), new String(record.key(), StandardCharsets.UTF_8));
            assertTrue(f.getPValue() <= alpha);
            int passed = settings.calibration().workingPoints().tightestPassed(f.getPValue());
            assertEquals(settings.calibration().workingPoints().loosestFirst().get(passed).name(), f.getWorkingPoint());
            assertEquals(settings.calibration().workingPoints().loosestFirst().get(passed).alpha(), f.getAlpha());
            assertEquals(model.bundle().version(), f.getModelVersion());
            assertEquals("test-hbos", f.getModelName());
            assertEquals(NOW.toEpochMilli(), f.getFlaggedAtMillis());
            assertEquals(model.bundle().calibration().get(f.getCell()).size(), f.getCalibrationSize());
            assertTrue(f.getCalibrationSize() >= settings.calibration().minSize());
            assertTrue(f.getRequestedCell().startsWith(f.getCell().split("\\|")[0]) || f.getCell().equals("global"),
                    f.getRequestedCell() + " fell back to " + f.getCell());
        }
    }

    @Test
    void everyClassOfBadInputReachesTheDeadLetterTopicWithItsReasonAndBytes() {
        DaqSimulator events = TrainedBundle.events(100, 5);
        CollisionEvent good = events.next();
        byte[] valid = encode(good);

        CollisionEvent noConditions = CollisionEvent.newBuilder(good).setConditions(null).build();
        CollisionEvent noPileup = CollisionEvent.newBuilder(good).build();
        noPileup.getConditions().setPileup(null);
        CollisionEvent nanPileup = CollisionEvent.newBuilder(events.next()).build();
        nanPileup.getConditions().setPileup(Float.NaN);
        CollisionEvent noState = CollisionEvent.newBuilder(events.next()).build();
        noState.getConditions().setDetectorState(null);
        CollisionEvent nanJet = CollisionEvent.newBuilder(events.next()).build();
        nanJet.getObjects().getJets().add(new PhysicsObject(20f, Float.NaN, 0.1f));
        CollisionEvent infMet = CollisionEvent.newBuilder(events.next()).build();
        infMet.getObjects().setMetPt(Float.POSITIVE_INFINITY);
        CollisionEvent noObjects = CollisionEvent.newBuilder(events.next()).setObjects(null).build();

        record Case(byte[] bytes, FailureStage stage, String reason) {
        }
        List<Case> cases = List.of(
                new Case("not avro at all".getBytes(StandardCharsets.UTF_8), FailureStage.DECODE, "single-object"),
                new Case(Arrays.copyOf(valid, valid.length / 2), FailureStage.DECODE, "single-object"),
                new Case(null, FailureStage.DECODE, "no value"),
                new Case(encode(noConditions), FailureStage.VALIDATE, "no run conditions"),
                new Case(encode(noPileup), FailureStage.VALIDATE, "pileup"),
                new Case(encode(nanPileup), FailureStage.VALIDATE, "pileup"),
                new Case(encode(noState), FailureStage.VALIDATE, "detectorState"),
                new Case(encode(nanJet), FailureStage.VALIDATE, "jets["),
                new Case(encode(infMet), FailureStage.VALIDATE, "MET"),
                new Case(encode(noObjects), FailureStage.EXTRACT, "no trigger objects"));
        for (Case c : cases) {
            input.pipeInput("key", c.bytes());
        }
        List<DeadLetter> letters = new ArrayList<>(deadLetters.readValuesToList());
        assertEquals(cases.size(), letters.size());
        for (int i = 0; i < cases.size(); i++) {
            DeadLetter letter = letters.get(i);
            Case c = cases.get(i);
            assertEquals(c.stage(), letter.getStage(), letter.getReason());
            assertTrue(letter.getReason().contains(c.reason()), letter.getReason() + " should mention " + c.reason());
            assertEquals(topics.events().name(), letter.getTopic());
            assertEquals(i, letter.getOffset());
            assertArrayEquals("key".getBytes(StandardCharsets.UTF_8), bytes(letter.getOriginalKey()));
            if (c.bytes() == null) {
                assertEquals(null, letter.getOriginalValue());
            } else {
                assertArrayEquals(c.bytes(), bytes(letter.getOriginalValue()));
            }
        }
        assertEquals(cases.size(), counters.totalDeadLetters());
        assertEquals(0, counters.totalEvents());
    }

    @Test
    void eventsFromAnOlderWriterSchemaAreScored() throws Exception {
        Schema v1;
        try (var in = getClass().getResourceAsStream("/avro-history/CollisionEvent.v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        CollisionEvent current = TrainedBundle.events(10, 3).next();
        // Project the current event onto the v1 schema through Avro's own schema resolution.
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(buffer, null);
        new org.apache.avro.specific.SpecificDatumWriter<CollisionEvent>(CollisionEvent.class).write(current, encoder);
        encoder.flush();
        GenericRecord old = new org.apache.avro.generic.GenericDatumReader<GenericRecord>(
                CollisionEvent.getClassSchema(), v1).read(null,
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(buffer.toByteArray(), null));
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();
        input.pipeInput("old", bytes);
        assertTrue(deadLetters.isEmpty());
        assertEquals(1, counters.totalEvents());
    }

    @Test
    void everyInputIsFlaggedUnflaggedOrADeadLetter() {
        int n = 5_000;
        int bad = 0;
        DaqSimulator events = TrainedBundle.events(n, 42);
        for (int i = 0; events.hasNext(); i++) {
            CollisionEvent e = events.next();
            byte[] bytes = encode(e);
            if (i % 97 == 0) {
                bytes = Arrays.copyOf(bytes, 7);
                bad++;
            }
            input.pipeInput(e.getRun() + ":" + e.getEvent(), bytes);
        }
        long flagged = anomalies.getQueueSize();
        long dead = deadLetters.getQueueSize();
        long unflagged = counters.totalEvents() - counters.totalFlagged();
        assertEquals(bad, dead);
        assertEquals(counters.totalFlagged(), flagged);
        assertEquals(n, flagged + dead + unflagged);
    }

    @Test
    void topologyNamesEveryNode() {
        // Every optional part on, so that every node is built; a prefix, so that topics come from the catalogue.
        OdditySettings everyPart = OdditySettings.from(SettingsSource.load(null, Map.of(),
                Map.of("monitor.enabled", "true", "calibration.online.enabled", "true")));
        Topics prefixed = Topics.withPrefix("test.");
        TopologyDescription description = AnomalyTopology.build(prefixed, everyPart,
                new ActiveModel(model, counters, everyPart.calibration().minSize(), true), counters,
                ScoringLatencies.of(everyPart.metrics()), Clock.systemUTC()).describe();
        List<TopologyDescription.Node> nodes = new ArrayList<>();
        description.subtopologies().forEach(subtopology -> nodes.addAll(subtopology.nodes()));
        description.globalStores().forEach(store -> nodes.addAll(List.of(store.source(), store.processor())));
        Set<String> described = new TreeSet<>();
        Set<String> topicsUsed = new TreeSet<>();
        for (TopologyDescription.Node node : nodes) {
            assertFalse(node.name().matches("(KSTREAM|KTABLE)-.*"), "generated name " + node.name());
            if (node instanceof TopologyDescription.Source source) {
                described.add("source " + source.name() + " <- " + new TreeSet<>(source.topicSet()));
                topicsUsed.addAll(source.topicSet());
            } else if (node instanceof TopologyDescription.Sink sink) {
                described.add("sink " + sink.name() + " -> " + sink.topic());
                topicsUsed.add(sink.topic());
            } else {
                described.add("processor " + node.name() + " stores "
                        + new TreeSet<>(((TopologyDescription.Processor) node).stores()));
            }
        }
        // Names as literals, not AnomalyTopology's constants: they name metrics and changelogs that operators see.
        assertEquals(new TreeSet<>(List.of(
                "source daq-events <- [" + prefixed.events().name() + "]",
                "source daq-calibration <- [" + prefixed.calibrationEvents().name() + "]",
                "source oddity-window-summaries <- [" + prefixed.windowSummaries().name() + "]",
                "source oddity-models <- [" + prefixed.models().name() + "]",
                "source oddity-calibration <- [" + prefixed.calibrationSnapshots().name() + "]",
                "processor score-events stores [task-windows]",
                "processor monitor-windows stores [monitor-state]",
                "processor calibrate-online stores [calibration-reservoirs]",
                "processor load-models stores [model-announcements]",
                "processor load-calibration stores [calibration-snapshots]",
                "sink anomalies -> " + prefixed.anomalies().name(),
                "sink dead-letters -> " + prefixed.deadLetters().name(),
                "sink alerts -> " + prefixed.alerts().name(),
                "sink monitor-alerts -> " + prefixed.alerts().name(),
                "sink calibration-dead-letters -> " + prefixed.deadLetters().name(),
                "sink window-summaries -> " + prefixed.windowSummaries().name(),
                "sink calibration-snapshots -> " + prefixed.calibrationSnapshots().name())), described);
        assertEquals(new TreeSet<>(prefixed.scoringTopicNames()), topicsUsed,
                "the topics the topology reads and writes are the catalogue's scoring topics");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
