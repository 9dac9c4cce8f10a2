package org.oddity.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ScoringModel;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;
import org.oddity.pipeline.DemoModel;
import org.oddity.sim.DaqSimulator;
import org.oddity.sim.SimulationPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The scoring processor itself, one input record per operation through the real scoring
 * topology on {@link TopologyTestDriver}, with the demo's model and calibration: decoding,
 * {@code EventScorer}, the per-cell counters, monitoring counts, and building and forwarding
 * flagged events and window summaries, plus what the test driver costs per record (wrapping the
 * record, running the task, capturing outputs). No broker: the network, batching and the
 * producer are in {@code oddity bench}. Next to {@code ScoringPathBenchmark} it shows what the
 * Kafka side adds to the scoring path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScoringProcessorBenchmark {

    private static final int POOL = 4096;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<byte[], byte[]> anomalies;
    private TestOutputTopic<byte[], byte[]> summaries;
    private byte[][] keys;
    private byte[][] values;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InvalidBundleException {
        ScoringModel model = DemoModel.train();
        Topics topics = Topics.withPrefix("");
        CellCounters counters = new CellCounters(model.cells(), model.workingPoints().size());
        ActiveModel active = new ActiveModel(model, counters, DemoModel.SETTINGS.calibration().minSize());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "processor-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("oddity-bench-state").toString());
        driver = new TopologyTestDriver(AnomalyTopology.build(topics, DemoModel.SETTINGS, active, counters,
                ScoringLatencies.of(DemoModel.SETTINGS.metrics()), Clock.systemUTC()), props);
        input = driver.createInputTopic(topics.events().name(), new ByteArraySerializer(), new ByteArraySerializer());
        anomalies = driver.createOutputTopic(topics.anomalies().name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        summaries = driver.createOutputTopic(topics.windowSummaries().name(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        AvroCodec<CollisionEvent> codec = topics.eventCodec();
        keys = new byte[POOL][];
        values = new byte[POOL][];
        DaqSimulator events = new DaqSimulator(SimulationPlan.standard(POOL, 3600), 3);
        for (int i = 0; i < POOL; i++) {
            CollisionEvent e = events.next();
            keys[i] = (e.getRun() + ":" + e.getEvent()).getBytes(StandardCharsets.UTF_8);
            values[i] = codec.encode(e);
        }
    }

    /** The driver keeps every output record: drop them between iterations so memory stays flat. */
    @Setup(Level.Iteration)
    public void drainOutputs() {
        anomalies.readRecordsToList();
        summaries.readRecordsToList();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        driver.close();
    }

    /** One input record through the scoring processor. */
    @Benchmark
    public void processOneRecord() {
        next = (next + 1) & (POOL - 1);
        input.pipeInput(keys[next], values[next]);
    }
}
