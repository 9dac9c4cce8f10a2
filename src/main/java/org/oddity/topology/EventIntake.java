package org.oddity.topology;

import java.io.IOException;
import org.apache.avro.AvroRuntimeException;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FailureStage;
import org.oddity.avro.RunConditions;
import org.oddity.calibrate.CellScheme;

/**
 * Turns an input record's bytes into an event placed in its finest calibration cell, or says
 * why it cannot: the steps every processor reading events shares before its own work. Reuses
 * one decoded event object; one instance per task.
 */
final class EventIntake {

    private final AvroCodec<CollisionEvent> codec;
    private CollisionEvent reuse;
    private FailureStage failedStage;
    private String failure;

    EventIntake(AvroCodec<CollisionEvent> codec) {
        this.codec = codec;
    }

    /** The event {@code value} encodes, or null; then {@link #failedStage} and {@link #failure} say why. */
    CollisionEvent decode(byte[] value) {
        if (value == null) {
            return fail(FailureStage.DECODE, "record has no value");
        }
        try {
            reuse = codec.decode(value, reuse);
            return reuse;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            reuse = null;
            return fail(FailureStage.DECODE, "not a CollisionEvent in Avro single-object encoding: " + e.getMessage());
        }
    }

    /** The finest cell of {@code event}'s conditions under {@code cells}, or -1; then the failure says why. */
    int finestCell(CollisionEvent event, CellScheme cells) {
        RunConditions conditions = event.getConditions();
        if (conditions == null) {
            fail(FailureStage.VALIDATE, "event has no run conditions");
            return -1;
        }
        int cell = cells.finestCellOf(conditions);
        if (cell < 0) {
            fail(FailureStage.VALIDATE, "run conditions lack a valid " + cells.missingField(conditions));
        }
        return cell;
    }

    private CollisionEvent fail(FailureStage stage, String reason) {
        failedStage = stage;
        failure = reason;
        return null;
    }

    /** Stage of the last failure. */
    FailureStage failedStage() {
        return failedStage;
    }

    /** Reason of the last failure. */
    String failure() {
        return failure;
    }
}
