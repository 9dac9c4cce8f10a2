package org.oddity.score;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.preprocess.Preprocessing;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One event scored by each registered family, trained through the registry with its default
 * parameters and default preprocessing on the 57 CMS L1 features of 50,000 simulated background
 * events; and {@value #BATCH} events at a time through scoreBatch (time per event).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScorerBenchmark {

    private static final int POOL = 4096;
    private static final int FEATURES = 57;
    private static final int BATCH = 256;

    @Param({"hbos", "iforest", "mahalanobis", "gmm", "kde", "autoencoder", "vae-latent"})
    String family;

    private Scorer scorer;
    private float[][] vectors;
    private float[][] batches;
    private final double[] scores = new double[BATCH];
    private int next;

    @Setup
    public void setUp() throws InvalidEventException {
        L1ObjectsExtractor extractor = new L1ObjectsExtractor();
        FeatureMatrix training = new FeatureMatrix(FEATURES);
        float[] row = new float[FEATURES];
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(50_000, 3600), 1);
        while (simulator.hasNext()) {
            extractor.extract(simulator.next(), row);
            training.add(row);
        }
        ScorerFamily scorerFamily = ScorerRegistry.family(family).orElseThrow();
        Preprocessing preprocessing = Preprocessing.fit(scorerFamily.defaultPreprocessing(), extractor.featureNames(),
                training);
        scorer = scorerFamily.trainer(Map.of(), 1).train(training);
        vectors = new float[POOL][FEATURES];
        batches = new float[POOL / BATCH][BATCH * FEATURES];
        DaqSimulator test = new DaqSimulator(SimulationPlan.standard(POOL, 3600), 2);
        for (int i = 0; i < POOL; i++) {
            extractor.extract(test.next(), vectors[i]);
            preprocessing.apply(vectors[i]);
            System.arraycopy(vectors[i], 0, batches[i / BATCH], (i % BATCH) * FEATURES, FEATURES);
        }
    }

    @Benchmark
    public double score() {
        next = (next + 1) & (POOL - 1);
        return scorer.score(vectors[next]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[] batched() {
        next = (next + 1) % batches.length;
        scorer.scoreBatch(batches[next], BATCH, scores);
        return scores;
    }
}
