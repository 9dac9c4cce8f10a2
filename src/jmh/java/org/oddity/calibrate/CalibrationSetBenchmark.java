package org.oddity.calibrate;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Conformal p-value lookup: one binary search over a cell's sorted calibration scores, or over
 * the retained scores of its REQ sketch (k = {@value SketchCalibration#DEFAULT_K}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CalibrationSetBenchmark {

    @Param({"10000", "1000000"})
    int n;

    private CalibrationSet set;
    private SketchCalibration sketch;
    private double[] queries;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            scores[i] = -Math.log(random.nextDouble());
        }
        set = CalibrationSet.of(scores);
        sketch = SketchCalibration.of(scores, SketchCalibration.DEFAULT_K);
        queries = new double[4096];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = -Math.log(random.nextDouble());
        }
    }

    @Benchmark
    public double pValue() {
        next = (next + 1) & (queries.length - 1);
        return set.pValue(queries[next]);
    }

    @Benchmark
    public double sketchPValue() {
        next = (next + 1) & (queries.length - 1);
        return sketch.pValue(queries[next]);
    }
}
