package org.oddity.sim;

/** A scenario file oddity cannot use; the message names the offending field, e.g. {@code signals[0].probability}. */
public final class InvalidScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /** {@code field} (a path such as {@code fills[1].duration}, empty for the whole file) has {@code problem}. */
    public InvalidScenarioException(String field, String problem) {
        super(field.isEmpty() ? problem : field + ": " + problem);
        this.field = field;
    }

    /** Path of the offending field; empty when the file as a whole is unreadable. */
    public String field() {
        return field;
    }
}
