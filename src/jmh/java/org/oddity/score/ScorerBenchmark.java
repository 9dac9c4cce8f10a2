package org.oddity.score;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One event scored by each registered family, trained through the registry with its default
 * parameters on the 57 CMS L1 features of 50,000 simulated background events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScorerBenchmark {

    private static final int POOL = 4096;
    private static final int FEATURES = 57;

    @Param({"hbos", "iforest", "mahalanobis", "gmm", "kde"})
    String family;

    private Scorer scorer;
    private float[][] vectors;
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
        scorer = ScorerRegistry.family(family).orElseThrow().trainer(Map.of(), 1).train(training);
        vectors = new float[POOL][FEATURES];
        DaqSimulator test = new DaqSimulator(SimulationPlan.standard(POOL, 3600), 2);
        for (int i = 0; i < POOL; i++) {
            extractor.extract(test.next(), vectors[i]);
        }
    }

    @Benchmark
    public double score() {
        next = (next + 1) & (POOL - 1);
        return scorer.score(vectors[next]);
    }
}
