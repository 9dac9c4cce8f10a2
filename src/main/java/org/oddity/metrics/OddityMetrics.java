package org.oddity.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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

    /**
     * Registers every meter of {@code counters}, {@code active} and {@code latencies} in
     * {@code registry}, each with the {@code common} tags (the application and the instance), so
     * that series of several instances can be told apart and summed.
     */
    public static void register(PrometheusMeterRegistry registry, Tags common, CellCounters counters,
            ActiveModel active, ScoringLatencies latencies) {
        registry.config().commonTags(common);
        OddityMetrics metrics = new OddityMetrics(registry, active);
        metrics.registerCounts(counters);
        metrics.registerCalibration(counters.cells());
        Labels labels = Labels.EMPTY;
        for (Tag tag : common) {
            labels = labels.add(tag.getKey(), tag.getValue());
        }
        registry.getPrometheusRegistry().register(new LatencyCollector(latencies, labels));
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
                Gauge.builder("oddity.calibration.age", active, a -> age(a, cell, point))
                        .description("age of the set used: since its newest online snapshot was published, or"
                                + " since the model bundle was created")
                        .baseUnit("seconds")
                        .tags(tags)
                        .register(registry);
            }
        }
    }

    private static double online(ResolvedCell cell) {
        return CalibrationTable.ONLINE.equals(cell.source()) ? 1 : 0;
    }

    private static double age(ActiveModel active, int cell, int point) {
        ScoringModel model = active.current();
        ResolvedCell used = model.table().cellFor(cell, point);
        long since = CalibrationTable.ONLINE.equals(used.source())
                ? active.online().newestPublishedAtMillis(model.bundle().version(), used.used())
                : createdAtMillis(model);
        return since < 0 ? Double.NaN : (System.currentTimeMillis() - since) / 1000.0;
    }

    /** When the bundle was created; -1 if its manifest's time does not parse (a bundle written by hand). */
    private static long createdAtMillis(ScoringModel model) {
        try {
            return Instant.parse(model.bundle().manifest().createdAt()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    private void calibration(String name, String description, Tags tags, ToDoubleFunction<ScoringModel> value) {
        Gauge.builder(name, active, a -> value.applyAsDouble(a.current())).description(description).tags(tags)
                .register(registry);
    }

    /** Shows the running model as the only row of the info gauge; called again on every switch. */
    private synchronized void showModel() {
        ScoringModel model = active.current();
        modelInfo.register(List.of(MultiGauge.Row.of(Tags.of("name", model.bundle().manifest().name(), "version",
                model.bundle().version()), 1)), true);
    }
}
