package org.oddity.topology;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.CalibrationSnapshot;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.ModelBundle;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ScoreReservoir;
import org.oddity.config.OnlineCalibrationSettings;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.EventScorer;
import org.oddity.pipeline.ScoredEvent;

/**
 * Online calibration: scores each unbiased event of the calibration stream with the running
 * model, and with the model waiting for its calibration if there is one, keeps the scores per
 * (model version, cell at every fallback level) in bounded reservoirs, and publishes a snapshot
 * of every changed reservoir at a fixed wall-clock interval. Events it cannot score go to the
 * dead-letter topic, like scoring's.
 *
 * <p>Each task's reservoirs are one snapshot source, named after its input partition, so the
 * instances merge the latest snapshot of every partition. The scores each reservoir takes are
 * stored at each commit ({@link StoredReservoirs}), so a task that starts again after a crash, a
 * rebalance or a restart goes on with the reservoirs of its last commit.
 */
final class CalibrationProcessor extends EventProcessor {

    /** One model's event scorer for this task and its reservoirs, by fallback level and cell. */
    private static final class ModelReservoirs {
        final ModelBundle bundle;
        final EventScorer scorer;
        final ScoreReservoir[][] reservoirs;

        ModelReservoirs(ModelBundle bundle, CellScheme cells, OnlineCalibrationSettings settings) {
            this.bundle = bundle;
            this.scorer = EventScorer.uncalibrated(bundle.version(), bundle.scorer(), bundle.newExtractor(), cells);
            this.reservoirs = new ScoreReservoir[cells.levels()][];
            for (int level = 0; level < cells.levels(); level++) {
                reservoirs[level] = new ScoreReservoir[cells.cellsAt(level)];
                for (int c = 0; c < reservoirs[level].length; c++) {
                    reservoirs[level][c] = new ScoreReservoir(settings.reservoirSize(), settings.window().toNanos());
                }
            }
        }
    }

    private final ActiveModel active;
    private final OnlineCalibrationSettings settings;
    private final ScoredEvent scored = new ScoredEvent();
    private final Map<String, ModelReservoirs> byVersion = new HashMap<>();
    private CellScheme cells;
    private String source;
    private StoredReservoirs stored;
    /** Whether the chunks of models neither running nor pending were deleted since the task started. */
    private boolean storeTidied;

    CalibrationProcessor(ActiveModel active, OnlineCalibrationSettings settings, Clock clock,
            AvroCodec<CollisionEvent> codec) {
        super(codec, AnomalyTopology.CALIBRATION_DEAD_LETTERS, clock);
        this.active = active;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<byte[], SpecificRecord> context) {
        super.init(context);
        this.cells = active.current().cells();
        this.source = "partition-" + context.taskId().partition();
        // Revived after an aborted transaction, the task starts again from its store alone.
        byVersion.clear();
        CommitTimeStore store = context.getStateStore(AnomalyTopology.RESERVOIR_STORE);
        stored = new StoredReservoirs(store);
        storeTidied = false;
        store.beforeCommit(this::save);
        context.schedule(settings.publishInterval(), PunctuationType.WALL_CLOCK_TIME, now -> publish());
    }

    @Override
    void process(Record<byte[], byte[]> record, CollisionEvent event) {
        ModelBundle pending = active.pending();
        if (!add(reservoirsOf(active.current().bundle()), event, record)) {
            return;
        }
        if (pending != null) {
            add(reservoirsOf(pending), event, record);
        }
    }

    /** Scores {@code event} with one model into its reservoirs; false if it went to the dead letters instead. */
    private boolean add(ModelReservoirs model, CollisionEvent event, Record<byte[], byte[]> record) {
        if (!model.scorer.score(event, scored)) {
            deadLetter(record, scored.failedStage(), scored.failure());
            return false;
        }
        for (int level = 0; level < cells.levels(); level++) {
            model.reservoirs[level][cells.cellAt(level, scored.cell())].add(scored.score(), event.getTimestampNanos());
        }
        return true;
    }

    private ModelReservoirs reservoirsOf(ModelBundle bundle) {
        ModelReservoirs r = byVersion.get(bundle.version());
        if (r == null) {
            r = new ModelReservoirs(bundle, cells, settings);
            stored.restore(bundle.version(), r.reservoirs);
            byVersion.put(bundle.version(), r);
        }
        return r;
    }

    /** Stores what the reservoirs took since the last commit; runs just before each commit. */
    private void save() {
        for (ModelReservoirs model : byVersion.values()) {
            stored.save(model.bundle.version(), model.reservoirs);
        }
    }

    /** The versions whose reservoirs are kept: the running model's and the pending one's. */
    private List<String> liveVersions() {
        ModelBundle pending = active.pending();
        String running = active.current().bundle().version();
        return pending == null ? List.of(running) : List.of(running, pending.version());
    }

    /** Publishes a snapshot of every reservoir that changed, and forgets models no longer running or pending. */
    private void publish() {
        List<String> live = liveVersions();
        boolean forgotten = byVersion.keySet().removeIf(v -> !live.contains(v));
        if (forgotten || !storeTidied) {
            stored.deleteVersionsOtherThan(live);
            storeTidied = true;
        }
        long now = clock.millis();
        for (ModelReservoirs model : byVersion.values()) {
            for (int level = 0; level < cells.levels(); level++) {
                for (int c = 0; c < model.reservoirs[level].length; c++) {
                    ScoreReservoir reservoir = model.reservoirs[level][c];
                    reservoir.expire();
                    if (reservoir.changed()) {
                        forward(model.bundle.version(), cells.cellName(level, c), reservoir, now);
                    }
                }
            }
        }
    }

    private void forward(String version, String cell, ScoreReservoir reservoir, long now) {
        CalibrationSnapshot snapshot = CalibrationSnapshot.newBuilder()
                .setModelVersion(version)
                .setCell(cell)
                .setSource(source)
                .setScores(Arrays.stream(reservoir.sortedScores()).boxed().toList())
                .setOldestEventNanos(reservoir.oldestNanos())
                .setNewestEventNanos(reservoir.newestNanos())
                .setPublishedAtMillis(now)
                .build();
        context.forward(new Record<byte[], SpecificRecord>(snapshotKey(version, cell, source), snapshot, now),
                AnomalyTopology.CALIBRATION_SNAPSHOTS);
    }

    /** Compaction key of one source's snapshot of (version, cell): its latest is what counts. */
    static byte[] snapshotKey(String version, String cell, String source) {
        return (version + " " + source + " " + cell).getBytes(StandardCharsets.UTF_8);
    }
}
