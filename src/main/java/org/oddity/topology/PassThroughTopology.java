package org.oddity.topology;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The baseline of the pipeline benchmark: a Kafka Streams application that copies every event
 * record to an output topic unchanged, counting them, and does nothing else. Its throughput on
 * the same broker, input and client settings is what oddity's scoring is measured against.
 */
public final class PassThroughTopology {

    /** Source node reading the events. */
    public static final String SOURCE = "bench-events";
    /** Processor node that counts and forwards. */
    public static final String FORWARD = "bench-forward";
    /** Sink node writing the copies. */
    public static final String SINK = "bench-copies";

    private PassThroughTopology() {
    }

    /** Copies {@code input} to {@code output}, adding one to {@code processed} per record. */
    public static Topology build(String input, String output, AtomicLong processed) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), input);
        topology.addProcessor(FORWARD, () -> new Processor<byte[], byte[], byte[], byte[]>() {
            private ProcessorContext<byte[], byte[]> context;

            @Override
            public void init(ProcessorContext<byte[], byte[]> context) {
                this.context = context;
            }

            @Override
            public void process(Record<byte[], byte[]> record) {
                processed.incrementAndGet();
                context.forward(record);
            }
        }, SOURCE);
        topology.addSink(SINK, output, new ByteArraySerializer(), new ByteArraySerializer(), FORWARD);
        return topology;
    }
}
