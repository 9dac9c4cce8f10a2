package org.oddity.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.avro.TriggerObjects;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.topology.AnomalyTopology;
import org.oddity.topology.Topics;

/**
 * The same events scored by the streaming topology and by {@code evaluate} give identical
 * doubles: score and p-value of every flagged event, the same flagged events, and the same
 * stage for every event neither can score. With a working point at alpha = 0.999 almost every
 * event is flagged, so almost every event's score and p-value is compared. Conservative
 * p-values: randomized ones draw from a stream per task in streaming and one per run in
 * {@code evaluate}, by design.
 */
class StreamingEvaluationEquivalenceTest {

    private static final int EVENTS = 4_000;

    private record Outcome(FailureStage stage, double score, double pValue, String workingPoint, String cell) {
    }

    @Test
    void streamingAndEvaluateScoreEveryEventAlike() {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(),
                Map.of("working-points", "all:0.999,loose:1e-2,medium:1e-3", "pvalue.mode", "conservative")));
        ScoringModel model = TrainedBundle.model(settings);
        List<CollisionEvent> events = new ArrayList<>();
        TrainedBundle.events(EVENTS, 5).forEachRemaining(events::add);
        events.addAll(badEvents(events.get(0)));

        Map<String, Outcome> streamed = streamed(settings, model, events);
        Map<String, Outcome> evaluated = evaluated(settings, model, events);

        assertEquals(evaluated.keySet(), streamed.keySet(), "events flagged or refused by one path only");
        long flagged = evaluated.values().stream().filter(o -> o.stage() == null).count();
        assertTrue(flagged > 0.99 * EVENTS, flagged + " of " + EVENTS + " events flagged at alpha 0.999");
        for (Map.Entry<String, Outcome> e : evaluated.entrySet()) {
            Outcome s = streamed.get(e.getKey());
            Outcome v = e.getValue();
            assertEquals(v.stage(), s.stage(), e.getKey());
            // assertEquals on doubles compares them bit for bit (Double.equals), with no tolerance.
            assertEquals(Double.valueOf(v.score()), Double.valueOf(s.score()), e.getKey());
            assertEquals(Double.valueOf(v.pValue()), Double.valueOf(s.pValue()), e.getKey());
            assertEquals(v.workingPoint(), s.workingPoint(), e.getKey());
            assertEquals(v.cell(), s.cell(), e.getKey());
        }
        assertEquals(List.of(FailureStage.VALIDATE, FailureStage.VALIDATE, FailureStage.EXTRACT),
                List.of(evaluated.get("1:-1").stage(), evaluated.get("1:-2").stage(), evaluated.get("1:-3").stage()));
    }

    /** An event without run conditions, one with a non-finite MET, and one without trigger objects. */
    private static List<CollisionEvent> badEvents(CollisionEvent good) {
        CollisionEvent noConditions = CollisionEvent.newBuilder(good).setEvent(-1).setConditions(null).build();
        TriggerObjects objects = TriggerObjects.newBuilder(good.getObjects()).setMetPt(Float.NaN).build();
        CollisionEvent nanMet = CollisionEvent.newBuilder(good).setEvent(-2).setObjects(objects).build();
        CollisionEvent noObjects = CollisionEvent.newBuilder(good).setEvent(-3).setObjects(null).build();
        return List.of(noConditions, nanMet, noObjects);
    }

    private static String id(CollisionEvent e) {
        return e.getRun() + ":" + e.getEvent();
    }

    /** Flagged and refused events of a run through the real scoring topology, by event id. */
    private static Map<String, Outcome> streamed(OdditySettings settings, ScoringModel model,
            List<CollisionEvent> events) {
        Topics topics = Topics.withPrefix("");
        CellCounters counters = new CellCounters(settings.calibration().cells(), settings.calibration().workingPoints().size());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "equivalence-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Map<String, Outcome> out = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings,
                new ActiveModel(model, counters, settings.calibration().minSize()), counters,
                ScoringLatencies.of(settings.metrics()), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)), props)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(),
                    new StringSerializer(), new ByteArraySerializer());
            for (CollisionEvent e : events) {
                input.pipeInput(id(e), topics.eventCodec().encode(e));
            }
            for (TestRecord<byte[], FlaggedEvent> r : driver.createOutputTopic(topics.anomalies().name(),
                    new ByteArrayDeserializer(), topics.anomalies().valueSerde().deserializer()).readRecordsToList()) {
                FlaggedEvent f = r.value();
                out.put(new String(r.key(), StandardCharsets.UTF_8),
                        new Outcome(null, f.getScore(), f.getPValue(), f.getWorkingPoint(), f.getCell()));
            }
            for (TestRecord<byte[], DeadLetter> r : driver.createOutputTopic(topics.deadLetters().name(),
                    new ByteArrayDeserializer(), topics.deadLetters().valueSerde().deserializer()).readRecordsToList()) {
                out.put(new String(r.key(), StandardCharsets.UTF_8), new Outcome(r.value().getStage(), 0, 0, null, null));
            }
        }
        return out;
    }

    /** Events {@code evaluate} flags at some working point, or refuses, by event id. */
    private static Map<String, Outcome> evaluated(OdditySettings settings, ScoringModel model,
            List<CollisionEvent> events) {
        Map<String, Outcome> out = new HashMap<>();
        Evaluation evaluation = new Evaluation(model, settings.calibration().pValueMode(), settings.calibration().pValueSeed(), label -> true);
        evaluation.observe((event, scored) -> {
            if (!scored.ok()) {
                out.put(id(event), new Outcome(scored.failedStage(), 0, 0, null, null));
            } else if (scored.flagged()) {
                int k = scored.tightest();
                out.put(id(event), new Outcome(null, scored.score(), scored.pValues()[k],
                        model.workingPoints().loosestFirst().get(k).name(), scored.calibration(k).used()));
            }
        });
        events.forEach(evaluation::add);
        evaluation.report(new EvaluationReport.Input(null, null, null), 0);
        return out;
    }
}
