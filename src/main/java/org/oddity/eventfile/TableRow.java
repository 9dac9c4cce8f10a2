package org.oddity.eventfile;

/**
 * One row of a table, cell by cell: CSV rows hold text that is parsed on access, HDF5 rows hold
 * typed values. Numeric accessors throw {@link NumberFormatException} saying what the cell holds.
 */
interface TableRow {

    /** Whether the cell is an empty text (a missing value). */
    boolean isEmpty(int column);

    /** The cell as text; numbers in their shortest exact form. */
    String text(int column);

    /** The cell as a float; NaN for an empty cell. */
    float floatValue(int column);

    /** The cell as an integer. */
    long longValue(int column);

    /** The cell, a time in seconds, as nanoseconds. */
    long secondsAsNanos(int column);
}
