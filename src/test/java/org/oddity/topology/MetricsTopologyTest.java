package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FlaggedEvent;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CellScheme;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.Scrape;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.OddityMetrics;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.sim.DaqSimulator;

/**
 * Events through the scoring topology on {@link TopologyTestDriver} drive the metrics a scrape
 * shows: scored and flagged counts per cell, dead letters per stage, one scoring latency per
 * event scored, and one event-to-flag latency per flag, of the known age of the events.
 */
class MetricsTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    /** Every event is this old when scored: the fixed clock stands at NOW. */
    private static final long AGE_NANOS = 2_500_000;
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    @Test
    void eventsDriveTheCountsAndLatenciesOfTheScrape() {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(),
                Map.of("metrics.latency.sample-every", "1")));
        ScoringModel model = TrainedBundle.model(settings);
        CellScheme cells = settings.calibration().cells();
        CellCounters counters = new CellCounters(cells, settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, settings.calibration().minSize());
        AtomicLong nanoTime = new AtomicLong();
        ScoringLatencies latencies = new ScoringLatencies(INTERVAL, settings.metrics().latencySampleEvery(),
                nanoTime::get);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OddityMetrics.register(registry, Tags.empty(), counters, active, latencies);
        Topics topics = Topics.withPrefix("");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");

        int n = 4_000;
        long[] scoredIn = new long[cells.cellsAt(0)];
        long[] flaggedIn = new long[cells.cellsAt(0)];
        long flags;
        try (TopologyTestDriver driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings, active,
                counters, latencies, Clock.fixed(NOW, ZoneOffset.UTC)), props)) {
            TestInputTopic<String, byte[]> input = driver.createInputTopic(topics.events().name(),
                    new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], FlaggedEvent> anomalies = driver.createOutputTopic(topics.anomalies().name(),
                    new ByteArrayDeserializer(), topics.anomalies().valueSerde().deserializer());
            long eventTime = NOW.getEpochSecond() * 1_000_000_000L + NOW.getNano() - AGE_NANOS;
            DaqSimulator events = TrainedBundle.events(n, 7);
            while (events.hasNext()) {
                CollisionEvent e = events.next();
                e.setTimestampNanos(eventTime);
                scoredIn[cells.finestCellOf(e.getConditions())]++;
                input.pipeInput(e.getRun() + ":" + e.getEvent(), topics.eventCodec().encode(e));
            }
            for (int i = 0; i < 3; i++) {
                input.pipeInput("bad", "not an event".getBytes(StandardCharsets.UTF_8));
            }
            for (FlaggedEvent f : anomalies.readValuesToList()) {
                flaggedIn[indexOf(cells, f.getRequestedCell())]++;
            }
            flags = counters.totalFlagged();
        }
        nanoTime.addAndGet(INTERVAL.toNanos());
        String text = registry.scrape();

        long flaggedTotal = 0;
        for (int c = 0; c < cells.cellsAt(0); c++) {
            String cell = "{cell=\"" + cells.cellName(0, c) + "\"";
            assertEquals(scoredIn[c], Scrape.value(text, "oddity_events_scored_total" + cell + "}"), cell);
            assertEquals(flaggedIn[c], Scrape.value(text, "oddity_events_flagged_total" + cell + "}"), cell);
            assertEquals(flaggedIn[c], Scrape.value(text, "oddity_events_flagged_per_working_point_total" + cell
                    + ",working_point=\"loose\"}"), "a flag passes the loosest working point: " + cell);
            for (int k = 0; k < settings.calibration().workingPoints().size(); k++) {
                assertEquals(counters.flagged(c, k), Scrape.value(text, "oddity_events_flagged_per_working_point_total"
                        + cell + ",working_point=\""
                        + settings.calibration().workingPoints().loosestFirst().get(k).name() + "\"}"));
            }
            flaggedTotal += flaggedIn[c];
        }
        assertEquals(flags, flaggedTotal);
        assertTrue(flaggedTotal > 10, "about 1% of " + n + " events are flagged: " + flaggedTotal);
        assertEquals(3, Scrape.value(text, "oddity_dead_letters_total{stage=\"DECODE\"}"));

        assertEquals(n, Scrape.value(text, "oddity_scoring_latency_seconds_count"),
                "with sample-every 1, every event scored is timed");
        double max = Scrape.value(text, "oddity_scoring_latency_seconds_max");
        assertTrue(max > 0 && max <= Scrape.value(text, "oddity_scoring_latency_seconds_sum"), "max " + max);
        assertEquals(flaggedTotal, Scrape.value(text, "oddity_flag_latency_seconds_count"));
        assertEquals(flaggedTotal * AGE_NANOS / 1e9, Scrape.value(text, "oddity_flag_latency_seconds_sum"),
                flaggedTotal * AGE_NANOS / 1e9 * 1e-3, "HdrHistogram's 3 significant digits");
        assertEquals(AGE_NANOS / 1e9, Scrape.value(text, "oddity_flag_latency_seconds_max"), AGE_NANOS / 1e9 * 1e-3);
        assertEquals(1, Scrape.value(text, "oddity_model_info{name=\"test-hbos\",version=\""
                + model.bundle().version() + "\"}"));
    }

    private static int indexOf(CellScheme cells, String name) {
        for (int c = 0; c < cells.cellsAt(0); c++) {
            if (cells.cellName(0, c).equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no finest cell " + name);
    }
}
