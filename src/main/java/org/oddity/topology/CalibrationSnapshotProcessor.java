package org.oddity.topology;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.oddity.avro.CalibrationSnapshot;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.pipeline.ActiveModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the calibration snapshots into a global store and hands each (model version, cell)'s
 * merged online set to the active model, which prefers it to the bundle's once it is large
 * enough, or switches to a pending model once its calibration is complete. It runs on the
 * global thread, and Kafka Streams replays the compacted topic through it on restart.
 */
final class CalibrationSnapshotProcessor implements Processor<byte[], byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationSnapshotProcessor.class);

    private final ActiveModel active;
    private final AvroCodec<CalibrationSnapshot> codec;
    private KeyValueStore<byte[], byte[]> store;

    CalibrationSnapshotProcessor(ActiveModel active, AvroCodec<CalibrationSnapshot> codec) {
        this.active = active;
        this.codec = codec;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(AnomalyTopology.CALIBRATION_STORE);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        store.put(record.key(), record.value());
        CalibrationSnapshot snapshot;
        try {
            snapshot = codec.decode(record.value(), null);
        } catch (UndecodableRecordException e) {
            LOG.warn("ignoring a calibration snapshot: {}", e.getMessage());
            return;
        }
        List<Double> scores = snapshot.getScores();
        double[] values = new double[scores.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = scores.get(i);
        }
        CalibrationSet set;
        try {
            set = CalibrationSet.of(values);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring calibration snapshot of model {} cell {}: {}", snapshot.getModelVersion(),
                    snapshot.getCell(), e.getMessage());
            return;
        }
        Map<String, CalibrationSet> sets = active.online().update(snapshot.getModelVersion(), snapshot.getCell(),
                snapshot.getSource(), set, snapshot.getPublishedAtMillis());
        String before = active.current().bundle().version();
        if (active.calibrationUpdated(snapshot.getModelVersion(), sets)) {
            LOG.info("switched to model {} from {}: its online calibration covers the active cells",
                    snapshot.getModelVersion(), before);
        }
    }
}
