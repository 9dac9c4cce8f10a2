package org.oddity.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Kafka side adds to the scoring path; {@link #passThroughOneRecord}, a bare pass-through
 * topology on the same driver, shows what of that is the test driver's own.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScoringProcessorBenchmark {

    private static final int POOL = 4096;

    private TopologyTestDriver driver;
    private TopologyTestDriver passThroughDriver;
    private TestInputTopic<byte[], byte[]> input;
    private TestInputTopic<byte[], byte[]> passThroughInput;
    private TestOutputTopic<byte[], byte[]> copies;
    private Runnable drainScoring;
    private Runnable drainCopies;
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
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pass-through-bench");
        passThroughDriver = new TopologyTestDriver(PassThroughTopology.build(topics.events().name(), "copies",
                new AtomicLong()), props);
        passThroughInput = passThroughDriver.createInputTopic(topics.events().name(), new ByteArraySerializer(),
                new ByteArraySerializer());
        copies = passThroughDriver.createOutputTopic("copies", new ByteArrayDeserializer(), new ByteArrayDeserializer());
        drainScoring = () -> {
            anomalies.readRecordsToList();
            summaries.readRecordsToList();
        };
        drainCopies = copies::readRecordsToList;
        AvroCodec<CollisionEvent> codec = topics.eventCodec();
        keys = new byte[POOL][];
        values = new byte[POOL][];
        // Twenty seconds of event time, inside one lumisection window: the pool is replayed again and
        // again, and an hour squeezed into it would close a window every few dozen records, where a
        // stream at trigger rate closes one per ~23 s of events.
        DaqSimulator events = new DaqSimulator(SimulationPlan.standard(POOL, 20), 3);
        for (int i = 0; i < POOL; i++) {
            CollisionEvent e = events.next();
            keys[i] = (e.getRun() + ":" + e.getEvent()).getBytes(StandardCharsets.UTF_8);
            values[i] = codec.encode(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        driver.close();
        passThroughDriver.close();
    }

    /**
     * One input record through the scoring processor. The driver keeps every output record: they
     * are dropped once per pool of inputs, so memory stays flat, at a cost shared by every record.
     */
    @Benchmark
    public void processOneRecord() {
        pipeNext(input, drainScoring);
    }

    /** One input record through a bare pass-through topology on the same driver: the driver's own cost. */
    @Benchmark
    public void passThroughOneRecord() {
        pipeNext(passThroughInput, drainCopies);
    }

    private void pipeNext(TestInputTopic<byte[], byte[]> into, Runnable drain) {
        next = (next + 1) & (POOL - 1);
        into.pipeInput(keys[next], values[next]);
        if (next == 0) {
            drain.run();
        }
    }
}
