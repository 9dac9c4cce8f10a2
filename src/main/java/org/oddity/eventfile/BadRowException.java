package org.oddity.eventfile;

import java.nio.file.Path;

/**
 * A row of an event file that cannot become an event: the message names the file, the row's
 * position (e.g. {@code line 17}) and what is wrong. Unchecked, because it surfaces from
 * {@link java.util.Iterator#next()}.
 */
public final class BadRowException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a row is bad; the unit in which skipped rows are counted. */
    public enum Reason {
        /** A CSV row with more or fewer fields than the header. */
        WRONG_COLUMN_COUNT("wrong column count"),
        /** A cell that should hold a number (or an integer, or a time) does not. */
        NOT_A_NUMBER("text in a number column"),
        /** The file ends inside a row or block. */
        TRUNCATED("truncated"),
        /** Bytes that do not decode: bad CSV quoting, a corrupt Avro block, unreadable HDF5 rows. */
        MALFORMED("malformed");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** How the reason reads in a report. */
        public String label() {
            return label;
        }
    }

    private final Reason reason;
    private final String position;
    private final long rows;

    /**
     * @param file     the file the row is in
     * @param position where in the file, e.g. {@code line 17} or {@code rows 65536 to 131071}
     * @param reason   the kind of problem
     * @param rows     how many rows the problem costs (more than one for an unreadable block)
     * @param detail   what is wrong, for a person
     */
    public BadRowException(Path file, String position, Reason reason, long rows, String detail) {
        super(file + ", " + position + ": " + detail, null, false, false);
        this.reason = reason;
        this.position = position;
        this.rows = rows;
    }

    /** A problem with one row. */
    public BadRowException(Path file, String position, Reason reason, String detail) {
        this(file, position, reason, 1, detail);
    }

    public Reason reason() {
        return reason;
    }

    /** Where in the file, e.g. {@code line 17}. */
    public String position() {
        return position;
    }

    /** Rows lost to this problem. */
    public long rows() {
        return rows;
    }
}
