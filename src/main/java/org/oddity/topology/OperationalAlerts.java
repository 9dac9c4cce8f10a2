package org.oddity.topology;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Record;
import org.oddity.avro.AlertState;
import org.oddity.avro.DriftAlert;

/**
 * Alerts about oddity itself rather than the data: a refused model, stale online calibration, a
 * monitoring or scoring failure. They carry no test statistic, only a message, and their window is the
 * moment they happened.
 */
public final class OperationalAlerts {

    /** A refused model candidate. */
    static final String MODEL_REFUSED = "MODEL_REFUSED";
    /** An online calibration cell gone stale. */
    static final String CALIBRATION_STALE = "CALIBRATION_STALE";
    /** An exception in monitoring; scoring goes on. */
    static final String MONITOR_FAILURE = "MONITOR_FAILURE";
    /** Exceptions while scoring events, which went to the dead letters; scoring goes on. */
    static final String SCORING_FAILURE = "SCORING_FAILURE";

    /** Every kind of operational alert. */
    public static final List<String> KINDS = List.of(MODEL_REFUSED, CALIBRATION_STALE, MONITOR_FAILURE,
            SCORING_FAILURE);

    private OperationalAlerts() {
    }

    /** The alert record keyed {@code kind|cell|subject}, timestamped {@code atMillis}. */
    static Record<byte[], SpecificRecord> of(String kind, AlertState state, String severity, String cell,
            String subject, String statistic, String message, long atMillis) {
        long nanos = atMillis * 1_000_000L;
        DriftAlert alert = DriftAlert.newBuilder()
                .setKind(kind)
                .setState(state)
                .setSeverity(severity)
                .setCell(cell)
                .setStatistic(statistic)
                .setStatisticValue(0)
                .setRawPValue(0)
                .setCorrectedPValue(0)
                .setObserved(0)
                .setExpected(0)
                .setWindowStartNanos(nanos)
                .setWindowEndNanos(nanos)
                .setFirstRun(0)
                .setFirstLumisection(0)
                .setLastRun(0)
                .setLastLumisection(0)
                .setMessage(message)
                .setRaisedAtMillis(atMillis)
                .build();
        String key = kind + "|" + cell + "|" + subject;
        return new Record<>(key.getBytes(StandardCharsets.UTF_8), alert, atMillis);
    }
}
