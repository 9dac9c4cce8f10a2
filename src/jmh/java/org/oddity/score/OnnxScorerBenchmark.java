package org.oddity.score;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.onnx.OnnxModels;
import org.oddity.score.onnx.OnnxScorer;
import org.oddity.score.onnx.OnnxSettings;
import org.oddity.score.onnx.OutputKind;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The onnx scorer on a 57-32-8-32-57 dense autoencoder (ReLU inside, seeded weights) built in
 * Java as ONNX, through ONNX Runtime on one intra-op thread: one event per session run, and
 * {@value #BATCH} events per run through scoreBatch (time per event). Inputs are the 57 CMS L1
 * features of simulated background events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OnnxScorerBenchmark {

    private static final int FEATURES = 57;
    private static final int BATCH = 256;
    private static final int BATCHES = 16;

    private OnnxScorer scorer;
    private float[][] vectors;
    private float[][] batches;
    private final double[] scores = new double[BATCH];
    private int next;

    @Setup
    public void setUp() throws IOException, InvalidEventException {
        byte[] model = OnnxModels.network("reconstruction", OnnxModels.autoencoder(1, FEATURES, 32, 8, 32, FEATURES));
        scorer = OnnxScorer.load(model, new OnnxSettings(FEATURES, OnnxModels.INPUT, "reconstruction",
                OutputKind.RECONSTRUCTION, BATCH, 1, 1));
        L1ObjectsExtractor extractor = new L1ObjectsExtractor();
        DaqSimulator events = new DaqSimulator(SimulationPlan.standard(BATCHES * BATCH, 3600), 2);
        vectors = new float[BATCHES * BATCH][FEATURES];
        batches = new float[BATCHES][BATCH * FEATURES];
        for (int i = 0; i < vectors.length; i++) {
            extractor.extract(events.next(), vectors[i]);
            System.arraycopy(vectors[i], 0, batches[i / BATCH], (i % BATCH) * FEATURES, FEATURES);
        }
    }

    @TearDown
    public void tearDown() {
        scorer.close();
    }

    @Benchmark
    public double single() {
        next = (next + 1) % vectors.length;
        return scorer.score(vectors[next]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] batched() {
        next = (next + 1) % BATCHES;
        scorer.scoreBatch(batches[next], BATCH, scores);
        return scores;
    }
}
