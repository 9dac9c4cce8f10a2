package org.oddity.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.oddity.avro.FailureStage;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.calibrate.WorkingPoints;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;

/**
 * The operator metrics of one instance, registered once at start-up: counts per finest cell
 * and working point, dead letters per stage, the calibration in use, the running model and
 * the latency percentiles.
 *
 * <p>Every meter reads state the scoring path keeps anyway (the {@link CellCounters} slots,
 * the {@link ActiveModel}'s current model, the latency recorders) when it is scraped; nothing
 * on the scoring path looks a meter up. The cells and working points are fixed for the life of
 * an instance (a swapped-in model is resolved over the running one's), so the meters are too.
 * Micrometer holds a meter's source weakly; the running application holds every source here.
 */
public final class OddityMetrics {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    /** The same as fractions, spelled as Prometheus summaries spell them. */
    private static final String[] QUANTILES = {"0.5", "0.9", "0.99", "0.999"};

    private final MeterRegistry registry;
    private final ActiveModel active;
    private final MultiGauge modelInfo;

    private OddityMetrics(MeterRegistry registry, ActiveModel active) {
        this.registry = registry;
        this.active = active;
        this.modelInfo = MultiGauge.builder("oddity.model.info")
                .description("1 for the model scoring now, tagged with its name and version")
                .register(registry);
    }

    /** Registers every meter of {@code counters}, {@code active} and {@code latencies} in {@code registry}. */
    public static void register(MeterRegistry registry, CellCounters counters, ActiveModel active,
            ScoringLatencies latencies) {
        OddityMetrics metrics = new OddityMetrics(registry, active);
        metrics.registerCounts(counters);
        metrics.registerCalibration(counters.cells());
        metrics.registerLatency("oddity.scoring.latency", "place, extract, score and calibrate, on one event in "
                + latencies.sampleEvery(), latencies.scoring());
        metrics.registerLatency("oddity.flag.latency", "event timestamp to flag produced, wall clock",
                latencies.flag());
        active.onSwitch(metrics::showModel);
        metrics.showModel();
    }

    private void registerCounts(CellCounters counters) {
        CellScheme cells = counters.cells();
        WorkingPoints points = active.current().workingPoints();
        for (int c = 0; c < cells.cellsAt(0); c++) {
            int cell = c;
            Tags tags = Tags.of("cell", cells.cellName(0, cell));
            count("oddity.events.scored", "events scored", tags, counters, x -> x.events(cell));
            count("oddity.events.flagged", "events flagged at the loosest working point", tags, counters,
                    x -> x.flagged(cell));
            count("oddity.events.global.threshold.flagged", "events one global threshold at the loosest working"
                    + " point would have flagged", tags, counters, x -> x.globalFlagged(cell));
            for (int k = 0; k < points.size(); k++) {
                int point = k;
                count("oddity.events.flagged.per.working.point", "events whose p-value passed the working point",
                        tags.and("working_point", points.loosestFirst().get(point).name()), counters,
                        x -> x.flagged(cell, point));
            }
        }
        for (FailureStage stage : FailureStage.values()) {
            count("oddity.dead.letters", "records sent to the dead-letter topic", Tags.of("stage", stage.name()),
                    counters, x -> x.deadLetters(stage));
        }
        for (int k = 0; k < points.size(); k++) {
            double alpha = points.alpha(k);
            Gauge.builder("oddity.working.point.alpha", () -> alpha)
                    .description("false-alarm rate of the working point")
                    .tag("working_point", points.loosestFirst().get(k).name())
                    .register(registry);
        }
    }

    private void count(String name, String description, Tags tags, CellCounters counters,
            ToDoubleFunction<CellCounters> value) {
        FunctionCounter.builder(name, counters, value).description(description).tags(tags).register(registry);
    }

    private void registerCalibration(CellScheme cells) {
        WorkingPoints points = active.current().workingPoints();
        for (int c = 0; c < cells.cellsAt(0); c++) {
            for (int k = 0; k < points.size(); k++) {
                int cell = c;
                int point = k;
                Tags tags = Tags.of("cell", cells.cellName(0, cell), "working_point",
                        points.loosestFirst().get(point).name());
                calibration("oddity.calibration.set.size", "scores in the calibration set used", tags,
                        m -> m.table().cellFor(cell, point).set().size());
                calibration("oddity.calibration.fallback.level", "fallback level of the cell used; 0 is the cell"
                        + " itself", tags, m -> m.table().cellFor(cell, point).level());
                calibration("oddity.calibration.online", "1 if the set used comes from online calibration, 0 if"
                        + " from the model bundle", tags, m -> online(m.table().cellFor(cell, point)));
            }
        }
    }

    private static double online(ResolvedCell cell) {
        return CalibrationTable.ONLINE.equals(cell.source()) ? 1 : 0;
    }

    private void calibration(String name, String description, Tags tags, ToDoubleFunction<ScoringModel> value) {
        Gauge.builder(name, active, a -> value.applyAsDouble(a.current())).description(description).tags(tags)
                .register(registry);
    }

    private void registerLatency(String name, String what, LatencyHistogram histogram) {
        for (int i = 0; i < PERCENTILES.length; i++) {
            double percentile = PERCENTILES[i];
            Gauge.builder(name, histogram, h -> h.percentileMicros(percentile))
                    .description("latency percentile over the last interval: " + what)
                    .baseUnit("microseconds")
                    .tag("quantile", QUANTILES[i])
                    .register(registry);
        }
        Gauge.builder(name + ".max", histogram, LatencyHistogram::maxMicros)
                .description("longest latency over the last interval: " + what)
                .baseUnit("microseconds")
                .register(registry);
        FunctionCounter.builder(name + ".recorded", histogram, LatencyHistogram::recorded)
                .description("latencies recorded up to the last interval: " + what)
                .register(registry);
    }

    /** Shows the running model as the only row of the info gauge; called again on every switch. */
    private synchronized void showModel() {
        ScoringModel model = active.current();
        modelInfo.register(List.of(MultiGauge.Row.of(Tags.of("name", model.bundle().manifest().name(), "version",
                model.bundle().version()), 1)), true);
    }
}
