package org.oddity.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.FailureStage;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoints;
import org.oddity.config.OdditySettings;
import org.oddity.fixtures.Scrape;
import org.oddity.fixtures.SwapBundles;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;

/**
 * {@link OddityMetrics} in a Prometheus registry: the scrape shows the counters' exact counts
 * per cell and working point, the calibration each cell resolved to at each working point (also
 * after online sets replace the bundle's) and its age, only the running model's version, latency
 * histograms of known values in seconds, and the common tags on every series.
 */
class OddityMetricsTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private final OdditySettings settings = TrainedBundle.defaultSettings();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong nanoTime = new AtomicLong();
    private final ScoringLatencies latencies = new ScoringLatencies(INTERVAL, 1, nanoTime::get);

    private static String cell(CellScheme cells, int cell) {
        return "cell=\"" + cells.cellName(0, cell) + "\"";
    }

    @Test
    void scrapeShowsTheExactCountsPerCellWorkingPointAndStage() {
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        OddityMetrics.register(registry, Tags.empty(), counters, new ActiveModel(TrainedBundle.model(settings),
                counters, 0), latencies);
        // Cell 4 is 30<=pileup<40|detectorState=ECAL_ENDCAP_OUT; loose is bit 0, medium 1, tight 2.
        for (int i = 0; i < 7; i++) {
            counters.scored(4, 0, false);
        }
        for (int i = 0; i < 3; i++) {
            counters.scored(4, 0b011, true);
        }
        counters.scored(4, 0b111, false);
        counters.scored(0, 0b001, true);
        counters.deadLetter(FailureStage.DECODE);
        counters.deadLetter(FailureStage.DECODE);
        counters.deadLetter(FailureStage.SCORE);

        String text = registry.scrape();
        String c4 = cell(settings.calibration().cells(), 4);
        assertEquals("30<=pileup<40|detectorState=ECAL_ENDCAP_OUT", settings.calibration().cells().cellName(0, 4));
        assertEquals(11, Scrape.value(text, "oddity_events_scored_total{" + c4 + "}"));
        assertEquals(4, Scrape.value(text, "oddity_events_flagged_total{" + c4 + "}"));
        assertEquals(3, Scrape.value(text, "oddity_events_global_threshold_flagged_total{" + c4 + "}"));
        assertEquals(4, Scrape.value(text, "oddity_events_flagged_per_working_point_total{" + c4
                + ",working_point=\"loose\"}"));
        assertEquals(4, Scrape.value(text, "oddity_events_flagged_per_working_point_total{" + c4
                + ",working_point=\"medium\"}"));
        assertEquals(1, Scrape.value(text, "oddity_events_flagged_per_working_point_total{" + c4
                + ",working_point=\"tight\"}"));
        String c0 = cell(settings.calibration().cells(), 0);
        assertEquals(1, Scrape.value(text, "oddity_events_scored_total{" + c0 + "}"));
        assertEquals(0, Scrape.value(text, "oddity_events_flagged_per_working_point_total{" + c0
                + ",working_point=\"medium\"}"));
        assertEquals(0, Scrape.value(text,
                "oddity_events_scored_total{" + cell(settings.calibration().cells(), 11) + "}"));
        assertEquals(2, Scrape.value(text, "oddity_dead_letters_total{stage=\"DECODE\"}"));
        assertEquals(0, Scrape.value(text, "oddity_dead_letters_total{stage=\"VALIDATE\"}"));
        assertEquals(1, Scrape.value(text, "oddity_dead_letters_total{stage=\"SCORE\"}"));
        assertEquals(1e-3, Scrape.value(text, "oddity_working_point_alpha{working_point=\"medium\"}"));

        counters.scored(4, 0b001, false);
        assertEquals(12, Scrape.value(registry.scrape(), "oddity_events_scored_total{" + c4 + "}"),
                "a counter reads the counts when scraped");
    }

    @Test
    void calibrationGaugesShowTheCellEachWorkingPointResolvedTo() {
        ScoringModel model = TrainedBundle.model(settings);
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, 0);
        OddityMetrics.register(registry, Tags.empty(), counters, active, latencies);
        assertGaugesShow(model, registry.scrape());
        assertTrue(Arrays.stream(levels(model)).anyMatch(level -> level > 0),
                "the fixture has cells too small for the tight working point, so some fall back");

        // An online set large enough for every working point replaces cell 4's bundle set.
        double[] scores = new double[20_000];
        Arrays.setAll(scores, i -> i * 0.001);
        String name = settings.calibration().cells().cellName(0, 4);
        active.calibrationUpdated(model.bundle().version(), Map.of(name, CalibrationSet.of(scores)));
        ScoringModel online = active.current();
        assertEquals(CalibrationTable.ONLINE, online.table().cellFor(4, 2).source());
        String text = registry.scrape();
        assertGaugesShow(online, text);
        String tight = cell(settings.calibration().cells(), 4) + ",working_point=\"tight\"}";
        assertEquals(20_000, Scrape.value(text, "oddity_calibration_set_size{" + tight));
        assertEquals(1, Scrape.value(text, "oddity_calibration_online{" + tight));
        assertEquals(0, Scrape.value(text, "oddity_calibration_fallback_level{" + tight));
    }

    private static int[] levels(ScoringModel model) {
        int points = model.workingPoints().size();
        int[] levels = new int[model.cells().cellsAt(0) * points];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = model.table().cellFor(i / points, i % points).level();
        }
        return levels;
    }

    private static void assertGaugesShow(ScoringModel model, String text) {
        CellScheme cells = model.cells();
        WorkingPoints points = model.workingPoints();
        for (int c = 0; c < cells.cellsAt(0); c++) {
            for (int k = 0; k < points.size(); k++) {
                ResolvedCell resolved = model.table().cellFor(c, k);
                String tags = "{" + cell(cells, c) + ",working_point=\"" + points.loosestFirst().get(k).name() + "\"}";
                assertEquals(resolved.set().size(), Scrape.value(text, "oddity_calibration_set_size" + tags), tags);
                assertEquals(resolved.level(), Scrape.value(text, "oddity_calibration_fallback_level" + tags), tags);
                assertEquals(CalibrationTable.ONLINE.equals(resolved.source()) ? 1 : 0,
                        Scrape.value(text, "oddity_calibration_online" + tags), tags);
            }
        }
    }

    @Test
    void modelInfoShowsOnlyTheRunningVersion(@TempDir Path dir) throws Exception {
        OdditySettings swap = SwapBundles.settings(Map.of());
        ScoringModel first = ScoringModel.of(BundleReader.read(SwapBundles.calibrated(dir.resolve("a"), 1)),
                swap.calibration().cells(), swap.calibration().workingPoints(), 0);
        CellCounters counters = new CellCounters(swap.calibration().cells(), swap.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(first, counters, 0);
        OddityMetrics.register(registry, Tags.empty(), counters, active, latencies);
        String v1 = "oddity_model_info{name=\"" + SwapBundles.NAME + "\",version=\"" + first.bundle().version() + "\"}";
        assertEquals(1, Scrape.value(registry.scrape(), v1));

        assertEquals(ActiveModel.Outcome.SWITCHED,
                active.switchTo(BundleReader.read(SwapBundles.calibrated(dir.resolve("b"), 2))));
        String text = registry.scrape();
        assertEquals(1, Scrape.value(text, "oddity_model_info{name=\"" + SwapBundles.NAME + "\",version=\""
                + active.current().bundle().version() + "\"}"));
        assertFalse(text.contains(v1), "the old version's series is gone:\n" + text);
    }

    @Test
    void latenciesOfKnownValuesAreHistogramsInSeconds() {
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        OddityMetrics.register(registry, Tags.empty(), counters, new ActiveModel(TrainedBundle.model(settings),
                counters, 0), latencies);
        // 1 to 1000 microseconds, one each.
        for (int us = 1; us <= 1000; us++) {
            latencies.scoring().record(us * 1000L);
        }
        latencies.flag().record(2_500_000L);
        String before = registry.scrape();
        assertEquals(0, Scrape.value(before, "oddity_scoring_latency_seconds_count"), "the interval has not run");
        nanoTime.addAndGet(INTERVAL.toNanos());
        String text = registry.scrape();
        // Buckets count every latency at most their bound; HdrHistogram keeps 3 significant digits.
        assertEquals(1, Scrape.value(text, "oddity_scoring_latency_seconds_bucket{le=\"1.0E-6\"}"));
        assertEquals(10, Scrape.value(text, "oddity_scoring_latency_seconds_bucket{le=\"1.0E-5\"}"));
        assertEquals(100, Scrape.value(text, "oddity_scoring_latency_seconds_bucket{le=\"1.0E-4\"}"));
        assertEquals(500, Scrape.value(text, "oddity_scoring_latency_seconds_bucket{le=\"5.0E-4\"}"));
        assertEquals(1000, Scrape.value(text, "oddity_scoring_latency_seconds_bucket{le=\"0.001\"}"));
        assertEquals(1000, Scrape.value(text, "oddity_scoring_latency_seconds_bucket{le=\"+Inf\"}"));
        assertEquals(1000, Scrape.value(text, "oddity_scoring_latency_seconds_count"));
        assertEquals(0.5005, Scrape.value(text, "oddity_scoring_latency_seconds_sum"), 0.5005e-3);
        assertEquals(1e-3, Scrape.value(text, "oddity_scoring_latency_seconds_max"), 1e-6);
        assertEquals(0, Scrape.value(text, "oddity_flag_latency_seconds_bucket{le=\"0.001\"}"));
        assertEquals(1, Scrape.value(text, "oddity_flag_latency_seconds_bucket{le=\"0.0025\"}"));
        assertEquals(1, Scrape.value(text, "oddity_flag_latency_seconds_count"));

        latencies.flag().record(20_000_000L);
        nanoTime.addAndGet(INTERVAL.toNanos());
        String later = registry.scrape();
        assertEquals(2, Scrape.value(later, "oddity_flag_latency_seconds_count"), "counts add up over intervals");
        assertEquals(1, Scrape.value(later, "oddity_flag_latency_seconds_bucket{le=\"0.01\"}"));
        assertEquals(0.02, Scrape.value(later, "oddity_flag_latency_seconds_max"), 2e-5, "the last interval's");
        assertEquals(1000, Scrape.value(later, "oddity_scoring_latency_seconds_count"));
    }

    @Test
    void everySeriesCarriesTheApplicationAndInstance() {
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        OddityMetrics.register(registry, Tags.of("application", "oddity-a", "instance_id", "node-1"), counters,
                new ActiveModel(TrainedBundle.model(settings), counters, 0), latencies);
        counters.scored(4, 0, false);
        nanoTime.addAndGet(INTERVAL.toNanos());
        String text = registry.scrape();
        assertEquals(1, Scrape.value(text, "oddity_events_scored_total{application=\"oddity-a\","
                + cell(settings.calibration().cells(), 4) + ",instance_id=\"node-1\"}"));
        assertEquals(0, Scrape.value(text, "oddity_flag_latency_seconds_count{application=\"oddity-a\","
                + "instance_id=\"node-1\"}"));
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                assertTrue(line.contains("application=\"oddity-a\"") && line.contains("instance_id=\"node-1\""),
                        line);
            }
        }
    }

    @Test
    void calibrationAgeIsSinceTheNewestSnapshotOrTheBundle() {
        ScoringModel model = TrainedBundle.model(settings);
        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, 0);
        OddityMetrics.register(registry, Tags.empty(), counters, active, latencies);
        String tight = "{" + cell(settings.calibration().cells(), 4) + ",working_point=\"tight\"}";
        double bundleAge = (System.currentTimeMillis()
                - Instant.parse(model.bundle().manifest().createdAt()).toEpochMilli()) / 1000.0;
        assertEquals(bundleAge, Scrape.value(registry.scrape(), "oddity_calibration_age_seconds" + tight), 60);

        double[] scores = new double[20_000];
        Arrays.setAll(scores, i -> i * 0.001);
        String name = settings.calibration().cells().cellName(0, 4);
        long published = System.currentTimeMillis() - 120_000;
        String version = model.bundle().version();
        active.calibrationUpdated(version, active.online().update(version, name, "task-0", CalibrationSet.of(scores),
                published));
        assertEquals(CalibrationTable.ONLINE, active.current().table().cellFor(4, 2).source());
        assertEquals(120, Scrape.value(registry.scrape(), "oddity_calibration_age_seconds" + tight), 60);
    }
}
