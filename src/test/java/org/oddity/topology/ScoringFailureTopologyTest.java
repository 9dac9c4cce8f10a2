package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.DriftAlert;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScorerSwap;
import org.oddity.bundle.ScoringModel;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.DelegatingScorer;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.score.Scorer;

/**
 * A scorer that throws on some events, as ONNX Runtime can, makes those events dead letters at
 * stage SCORE with the exception and their original bytes, through Kafka Streams' processing
 * exception handler, and one SCORING_FAILURE alert; every other event is still scored, and every
 * input is accounted for.
 */
class ScoringFailureTopologyTest {

    /** Throws on events with a MET above 40 GeV, scores the rest as {@code hbos} does. */
    private static Scorer failingAboveMet(Scorer hbos) {
        return new DelegatingScorer(hbos, features -> {
            if (features[0] > 40) {
                throw new IllegalStateException("runtime error in the model");
            }
            return hbos.score(features);
        });
    }

    @Test
    void aScorerExceptionIsADeadLetterAndScoringGoesOn() throws InvalidBundleException {
        OdditySettings settings = TrainedBundle.defaultSettings();
        ModelBundle bundle = TrainedBundle.bundle();
        ScoringModel model = ScoringModel.of(ScorerSwap.withScorer(bundle, failingAboveMet(bundle.scorer())),
                settings.calibration().cells(), settings.calibration().workingPoints(), settings.calibration().minSize());
        Topics topics = Topics.withPrefix("");
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        Properties props = StreamsProperties.of(settings);
        ScoringFailureHandler.install(props, topics, counters);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        List<CollisionEvent> events = new ArrayList<>();
        TrainedBundle.events(2_000, 47).forEachRemaining(events::add);
        long failing = events.stream().filter(e -> e.getObjects().getMetPt() > 40).count();
        assertTrue(failing > 10 && failing < 1_000, failing + " events with MET above 40 GeV");

        try (TopologyTestDriver driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings,
                new ActiveModel(model, counters, settings.calibration().minSize()), counters,
                ScoringLatencies.of(settings.metrics()), Clock.systemUTC()), props)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], DeadLetter> deadLetters = driver.createOutputTopic(topics.deadLetters().name(),
                    new ByteArrayDeserializer(), topics.deadLetters().valueSerde().deserializer());
            TestOutputTopic<byte[], FlaggedEvent> anomalies = driver.createOutputTopic(topics.anomalies().name(),
                    new ByteArrayDeserializer(), topics.anomalies().valueSerde().deserializer());
            TestOutputTopic<byte[], DriftAlert> alerts = driver.createOutputTopic(topics.alerts().name(),
                    new ByteArrayDeserializer(), topics.alerts().valueSerde().deserializer());
            List<byte[]> failingBytes = new ArrayList<>();
            for (CollisionEvent e : events) {
                byte[] bytes = topics.eventCodec().encode(e);
                if (e.getObjects().getMetPt() > 40) {
                    failingBytes.add(bytes);
                }
                input.pipeInput(e.getRun() + ":" + e.getEvent(), bytes);
            }

            List<DeadLetter> letters = deadLetters.readValuesToList();
            assertEquals(failing, letters.size());
            for (int i = 0; i < letters.size(); i++) {
                DeadLetter letter = letters.get(i);
                assertEquals(FailureStage.SCORE, letter.getStage());
                assertTrue(letter.getReason().contains("runtime error in the model"), letter.getReason());
                assertEquals(topics.events().name(), letter.getTopic());
                byte[] original = new byte[letter.getOriginalValue().remaining()];
                letter.getOriginalValue().get(original);
                assertArrayEquals(failingBytes.get(i), original);
            }
            assertEquals(events.size() - failing, counters.totalEvents(), "every other event is scored");
            assertEquals(failing, counters.deadLetters(FailureStage.SCORE));
            assertEquals(counters.totalFlagged(), anomalies.readValuesToList().size());
            // All failures fall within one minute: one alert, not one per event.
            List<DriftAlert> raised = alerts.readValuesToList();
            assertEquals(1, raised.size(), raised.toString());
            assertEquals("SCORING_FAILURE", raised.get(0).getKind());
            assertTrue(raised.get(0).getMessage().contains("runtime error in the model"), raised.get(0).getMessage());
        }
    }
}
