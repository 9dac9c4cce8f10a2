package org.oddity.score;

import java.util.concurrent.TimeUnit;
import org.oddity.event.InvalidEventException;
import org.oddity.event.L1ObjectsExtractor;
import org.oddity.score.kde.KdeScorer;
import org.oddity.score.kde.KdeTrainer;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Gaussian kernel density (2000 reference points, LOO-CV bandwidth) on the 57 CMS L1 features of simulated events. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KdeBenchmark {

    private static final int POOL = 4096;

    private KdeScorer kde;
    private float[][] vectors;
    private int next;

    @Setup
    public void setUp() throws InvalidEventException {
        L1ObjectsExtractor extractor = new L1ObjectsExtractor();
        FeatureMatrix training = new FeatureMatrix(57);
        float[] row = new float[57];
        DaqSimulator simulator = new DaqSimulator(SimulationPlan.standard(50_000, 3600), 1);
        while (simulator.hasNext()) {
            extractor.extract(simulator.next(), row);
            training.add(row);
        }
        kde = new KdeTrainer(2000, 20, 1).train(training);
        vectors = new float[POOL][57];
        DaqSimulator test = new DaqSimulator(SimulationPlan.standard(POOL, 3600), 2);
        for (int i = 0; i < POOL; i++) {
            extractor.extract(test.next(), vectors[i]);
        }
    }

    @Benchmark
    public double score() {
        next = (next + 1) & (POOL - 1);
        return kde.score(vectors[next]);
    }
}
