package org.oddity.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.oddity.eventfile.AvroEventFileWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Simulator throughput in events per second on one thread: generation alone, and generation plus writing an Avro
 * container file (uncompressed, to a temporary file). Issue 4 asks for at least 300,000 events/s to a file.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SimulatorBenchmark {

    /** Events per invocation; with @OperationsPerInvocation the score reads as events per second. */
    private static final int EVENTS = 100_000;

    /** Every signal at 1% and every fault active for the whole run: the busiest a scenario gets. */
    private static final String BUSY_SCENARIO = """
            fills: [{duration: 3600}]
            signals:
              - {kind: A_4l, probability: 0.01}
              - {kind: LQ_btau, probability: 0.01}
              - {kind: h0_tautau, probability: 0.01}
              - {kind: hpm_taunu, probability: 0.01}
              - {kind: dijet, probability: 0.01}
            faults:
              - {kind: dead-region}
              - {kind: hot-channel}
              - {kind: jes-drift}
              - {kind: noisy-met}
            """;

    /** {@code standard}: the demo's background fill; {@code busy}: {@link #BUSY_SCENARIO}. */
    @Param({"standard", "busy"})
    String plan;

    private SimulationPlan simulationPlan;
    private Path file;
    private long seed;

    @Setup
    public void setUp() throws IOException {
        simulationPlan = plan.equals("standard") ? SimulationPlan.standard(EVENTS, 3600)
                : Scenario.parse(BUSY_SCENARIO).plan(EVENTS);
        file = Files.createTempFile("oddity-simulator-benchmark", ".avro");
    }

    @TearDown
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void generate(Blackhole blackhole) {
        DaqSimulator simulator = new DaqSimulator(simulationPlan, seed++);
        while (simulator.hasNext()) {
            blackhole.consume(simulator.next());
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public long generateToAvroFile() throws IOException {
        DaqSimulator simulator = new DaqSimulator(simulationPlan, seed++);
        try (AvroEventFileWriter writer = AvroEventFileWriter.create(file, "null", Map.of())) {
            while (simulator.hasNext()) {
                writer.append(simulator.next());
            }
            return writer.count();
        }
    }
}
