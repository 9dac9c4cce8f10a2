package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CalibrationSnapshot;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.kafka.EventPublisher;
import org.oddity.kafka.TopicAdmin;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.testing.CommittedTopic;
import org.oddity.testing.KafkaFixture;
import org.oddity.testing.ScoringApps;

/**
 * Online calibration reservoirs survive a restart: on a real broker, 1,500 calibration events
 * before a stop and 1,000 after it give global-cell snapshots of 2,500 scores, where reservoirs
 * in memory alone would start again from 1,000.
 */
@Tag("broker")
@Tag("faults")
class ReservoirRecoveryBrokerTest {

    @Test
    void aRestartedTaskGoesOnWithTheReservoirsOfItsLastCommit(@TempDir Path dir) throws Exception {
        KafkaFixture kafka = KafkaFixture.shared();
        String prefix = "reservoirs-" + System.nanoTime() + ".";
        Topics topics = Topics.withPrefix(prefix);
        TopicAdmin.ensure(kafka.clientSettings(), topics.scoringTopics(1, 1));
        OdditySettings settings = ScoringApps.settings(kafka.bootstrapServers(), prefix,
                "oddity-reservoirs-" + System.nanoTime(), dir, "calibration.online.enabled", "true",
                "calibration.online.reservoir-size", "5000", "calibration.online.publish-interval", "1s");
        try (EventPublisher calibration = new EventPublisher(kafka.clientSettings(),
                topics.calibrationEvents().name())) {
            try (ScoringApplication app = start(topics, settings)) {
                calibration.publish(TrainedBundle.events(1_500, 701), 0, topics.eventCodec()::encode, () -> false);
                ScoringApps.await(app, () -> globalScores(kafka, topics) == 1_500, () -> "a snapshot of 1,500 scores: "
                        + globalScores(kafka, topics));
            }
            try (ScoringApplication app = start(topics, settings)) {
                calibration.publish(TrainedBundle.events(1_000, 702), 0, topics.eventCodec()::encode, () -> false);
                ScoringApps.await(app, () -> globalScores(kafka, topics) >= 2_500 || globalScores(kafka, topics)
                        == 1_000, () -> "a snapshot after the restart: " + globalScores(kafka, topics));
            }
        }
        assertEquals(2_500, globalScores(kafka, topics), "the restarted task's reservoir holds both runs' scores");
    }

    private static ScoringApplication start(Topics topics, OdditySettings settings) {
        CellCounters counters = ScoringApps.counters(settings);
        return ScoringApplication.start(topics, settings, new ActiveModel(TrainedBundle.model(settings), counters,
                settings.calibration().minSize(), true), counters, ScoringLatencies.of(settings.metrics()),
                new SimpleMeterRegistry());
    }

    /** Scores in the newest committed snapshot of the global cell. */
    private static int globalScores(KafkaFixture kafka, Topics topics) {
        int newest = -1;
        for (CalibrationSnapshot s : CommittedTopic.read(kafka.clientSettings(), topics.calibrationSnapshots())) {
            if (s.getCell().equals(CellScheme.GLOBAL)) {
                newest = s.getScores().size();
            }
        }
        return newest;
    }
}
