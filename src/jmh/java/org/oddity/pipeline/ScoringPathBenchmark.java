package org.oddity.pipeline;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ScoringModel;
import org.oddity.metrics.SampledTimer;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.Strata;
import org.oddity.monitor.SummaryLayout;
import org.oddity.monitor.TaskWindows;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.oddity.topology.AvroCodec;
import org.oddity.topology.Topics;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-event scoring path without Kafka, through the {@link EventScorer} the scoring
 * processor uses, with the demo's model and calibration ({@link DemoModel}) read per event from
 * an {@link ActiveModel}: place the event in its cell, extract the 57 features, score with
 * HBOS, look up the p-value at every working point (cells of up to ~10^6 calibration scores),
 * and rank the top feature contributions of flagged events. Also: Avro decoding, what a scoring
 * task adds per event (the per-cell counters and monitoring counts), and the scoring latency
 * timed as the processor times it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScoringPathBenchmark {

    private static final int POOL = 4096;

    private AvroCodec<CollisionEvent> codec;
    private byte[][] encoded;
    private CollisionEvent[] decoded;
    private CollisionEvent reuse;
    private int next;
    private EventScorer scorer;
    private final ScoredEvent scored = new ScoredEvent();
    private CellCounters counters;
    private ScoringLatencies latencies;
    private SampledTimer everyEvent;
    private SampledTimer sampled;
    private TaskWindows windows;
    private Strata strata;

    @Setup
    public void setUp() throws IOException, InvalidBundleException {
        ScoringModel model = DemoModel.train();
        counters = new CellCounters(model.cells(), model.workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, DemoModel.SETTINGS.calibration().minSize());
        scorer = EventScorer.calibrated(active, DemoModel.SETTINGS.calibration().pValueMode(),
                new SplittableRandom(DemoModel.SETTINGS.calibration().pValueSeed()), DemoModel.SETTINGS.topFeatures());
        // Swaps only when read, and nothing reads here: the benchmark measures the writers' side alone.
        latencies = new ScoringLatencies(Duration.ofSeconds(10), 1, System::nanoTime);
        everyEvent = latencies.newScoringTimer();
        sampled = new SampledTimer(latencies.scoring(), DemoModel.SETTINGS.metrics().latencySampleEvery());
        ReferenceHistograms reference = model.bundle().reference().orElseThrow();
        strata = reference.strata();
        // One window holds the whole pool's hour, so every event is counted, none is late.
        windows = new TaskWindows(model.cells(), SummaryLayout.of(model.workingPoints(), 20, reference.binning()),
                model.bundle().version(), "bench", Duration.ofHours(2).toNanos(), 1);
        codec = Topics.withPrefix("").eventCodec();
        encoded = new byte[POOL][];
        decoded = new CollisionEvent[POOL];
        DaqSimulator events = new DaqSimulator(SimulationPlan.standard(POOL, 3600), 3);
        for (int i = 0; i < POOL; i++) {
            decoded[i] = events.next();
            encoded[i] = codec.encode(decoded[i]);
        }
    }

    /** Avro single-object decoding alone, reusing the event object as the processor does. */
    @Benchmark
    public CollisionEvent decode() throws IOException {
        next = (next + 1) & (POOL - 1);
        reuse = codec.decode(encoded[next], reuse);
        return reuse;
    }

    /** Everything {@link EventScorer#score} does after decoding: must not allocate. */
    @Benchmark
    public double extractScoreCalibrate() {
        next = (next + 1) & (POOL - 1);
        scorer.score(decoded[next], scored);
        return scored.score();
    }

    /**
     * As {@link #extractScoreCalibrate}, then counted per cell and working point, and for
     * monitoring into its window, cell and stratum of pileup, as a scoring task does: all that
     * the processor does per event besides Kafka's part. Must not allocate either.
     */
    @Benchmark
    public boolean extractScoreCalibrateMonitored() {
        next = (next + 1) & (POOL - 1);
        CollisionEvent event = decoded[next];
        scorer.score(event, scored);
        counters.scored(scored.cell(), scored.passedMask(), scored.flaggedByGlobalThreshold());
        return windows.addEvent(event.getTimestampNanos(), scored.cell(), strata.of(event.getConditions()),
                event.getRun(), event.getLumisection(), scored.pValues()[0], scored.passedMask(), scored.features());
    }

    /** As {@link #extractScoreCalibrate}, timing every event into the scoring-latency histogram. */
    @Benchmark
    public double extractScoreCalibrateTimedEveryEvent() {
        return timed(everyEvent);
    }

    /** As {@link #extractScoreCalibrate}, timing one event in the default sample-every. */
    @Benchmark
    public double extractScoreCalibrateTimedSampled() {
        return timed(sampled);
    }

    /** What timing costs at the least: the two clock reads around the work. */
    @Benchmark
    public long twoClockReads() {
        long started = System.nanoTime();
        return System.nanoTime() - started;
    }

    /** What timing costs besides the clock: one update of the scoring-latency histogram. */
    @Benchmark
    public void recordLatency() {
        next = (next + 1) & (POOL - 1);
        latencies.scoring().record(300 + next);
    }

    /** Decoding and {@link EventScorer#score}: the processor's per-event work before its outputs. */
    @Benchmark
    public double decodeExtractScoreCalibrate() throws IOException {
        next = (next + 1) & (POOL - 1);
        reuse = codec.decode(encoded[next], reuse);
        scorer.score(reuse, scored);
        return scored.score();
    }

    private double timed(SampledTimer timer) {
        next = (next + 1) & (POOL - 1);
        long started = timer.start();
        scorer.score(decoded[next], scored);
        timer.stop(started);
        return scored.score();
    }
}
