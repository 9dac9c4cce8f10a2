package org.oddity.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.metrics.SampledTimer;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.Strata;
import org.oddity.monitor.SummaryLayout;
import org.oddity.monitor.TaskWindows;
import org.oddity.score.hbos.HbosTrainer;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.oddity.train.ModelTrainer;
import org.oddity.train.Progress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the scoring processor does per event, without Kafka: decode the single-object-encoded
 * bytes (reusing the event object), place it in a cell, extract the 57 features, score with HBOS
 * and look up the conformal p-value in a cell of ~10^5 calibration scores; and the same with the
 * scoring latency timed as the processor times it, on every event and on one in
 * {@code metrics.latency.sample-every}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScoringPathBenchmark {

    private static final int POOL = 4096;

    private AvroCodec<CollisionEvent> codec;
    private byte[][] encoded;
    private CollisionEvent[] decoded;
    private ScoringModel model;
    private FeatureExtractor extractor;
    private float[] features;
    private CollisionEvent reuse;
    private int next;
    private ScoringLatencies latencies;
    private SampledTimer everyEvent;
    private SampledTimer sampled;
    private TaskWindows windows;
    private Strata strata;

    @Setup
    public void setUp() throws IOException, InvalidBundleException {
        OdditySettings settings = OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of()));
        Path bundle = Files.createTempDirectory("oddity-bench-bundle");
        new ModelTrainer("bench", new L1ObjectsExtractor(), null, settings.calibration().cells(),
                new HbosTrainer(50, 0.999), "none")
                .train(new DaqSimulator(SimulationPlan.standard(50_000, 3600), 1),
                        new DaqSimulator(SimulationPlan.standard(1_000_000, 3600), 2), bundle, Progress.NONE);
        model = ScoringModel.of(BundleReader.read(bundle), settings.calibration().cells(),
                settings.calibration().workingPoints(), settings.calibration().minSize());
        // Swaps only when read, and nothing reads here: the benchmark measures the writers' side alone.
        latencies = new ScoringLatencies(Duration.ofSeconds(10), 1, System::nanoTime);
        everyEvent = latencies.newScoringTimer();
        sampled = new SampledTimer(latencies.scoring(), settings.metrics().latencySampleEvery());
        ReferenceHistograms reference = model.bundle().reference().orElseThrow();
        strata = reference.strata();
        // One window holds the whole pool's hour, so every event is counted, none is late.
        windows = new TaskWindows(model.cells(), SummaryLayout.of(model.workingPoints(), 20, reference.binning()),
                model.bundle().version(), "bench", Duration.ofHours(2).toNanos(), 1);
        codec = Topics.withPrefix("").eventCodec();
        extractor = model.bundle().newExtractor();
        features = new float[extractor.featureNames().size()];
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

    /** Everything after decoding: must not allocate. */
    @Benchmark
    public double extractScoreCalibrate() throws InvalidEventException {
        next = (next + 1) & (POOL - 1);
        return scoreAndCalibrate(decoded[next]);
    }

    /**
     * As {@link #extractScoreCalibrate}, then counted for monitoring into its window, cell and
     * stratum of pileup, as a scoring task does: must not allocate either.
     */
    @Benchmark
    public boolean extractScoreCalibrateMonitored() throws InvalidEventException {
        next = (next + 1) & (POOL - 1);
        CollisionEvent event = decoded[next];
        int cell = model.cells().finestCellOf(event.getConditions());
        double p = scoreAndCalibrate(event, cell);
        return windows.addEvent(event.getTimestampNanos(), cell, strata.of(event.getConditions()), event.getRun(),
                event.getLumisection(), p, p <= 0.01 ? 1 : 0, features);
    }

    /** As {@link #extractScoreCalibrate}, timing every event into the scoring-latency histogram. */
    @Benchmark
    public double extractScoreCalibrateTimedEveryEvent() throws InvalidEventException {
        return timed(everyEvent);
    }

    /** As {@link #extractScoreCalibrate}, timing one event in the default sample-every. */
    @Benchmark
    public double extractScoreCalibrateTimedSampled() throws InvalidEventException {
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

    private double timed(SampledTimer timer) throws InvalidEventException {
        next = (next + 1) & (POOL - 1);
        long started = timer.start();
        double p = scoreAndCalibrate(decoded[next]);
        timer.stop(started);
        return p;
    }

    private double scoreAndCalibrate(CollisionEvent event) throws InvalidEventException {
        return scoreAndCalibrate(event, model.cells().finestCellOf(event.getConditions()));
    }

    private double scoreAndCalibrate(CollisionEvent event, int cell) throws InvalidEventException {
        extractor.extract(event, features);
        double score = model.bundle().scorer().score(features);
        ResolvedCell calibration = model.table().cellFor(cell);
        return calibration.set().pValue(score);
    }

    @Benchmark
    public double decodeExtractScoreCalibrate() throws IOException, InvalidEventException {
        next = (next + 1) & (POOL - 1);
        reuse = codec.decode(encoded[next], reuse);
        return scoreAndCalibrate(reuse);
    }
}
