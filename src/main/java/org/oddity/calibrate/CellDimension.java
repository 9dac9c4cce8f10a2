package org.oddity.calibrate;

import org.oddity.avro.RunConditions;

/** One run condition that calibration cells split on, with a finite number of bins. */
public interface CellDimension {

    /** The run-condition field, e.g. {@code pileup} or {@code detectorState}. */
    String field();

    /** Number of bins. */
    int bins();

    /** Human-readable label of bin {@code bin}, e.g. {@code 30<=pileup<40}. */
    String label(int bin);

    /** Bin of the event's conditions; -1 when the field is missing or not a finite value. */
    int binOf(RunConditions conditions);
}
