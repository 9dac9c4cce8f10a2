package org.oddity.topology;

import java.util.List;
import java.util.Map;
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
final class CalibrationSnapshotProcessor extends CompactedTopicLoader<byte[], CalibrationSnapshot> {

    private static final Logger LOG = LoggerFactory.getLogger(CalibrationSnapshotProcessor.class);

    private final ActiveModel active;

    CalibrationSnapshotProcessor(ActiveModel active, AvroCodec<CalibrationSnapshot> codec) {
        super(AnomalyTopology.CALIBRATION_STORE, codec);
        this.active = active;
    }

    @Override
    void undecodable(byte[] key, UndecodableRecordException e) {
        LOG.warn("ignoring a calibration snapshot: {}", e.getMessage());
    }

    @Override
    void loaded(byte[] key, CalibrationSnapshot snapshot) {
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
