package org.oddity.event;

/**
 * An event that cannot be scored because a value in it is invalid (e.g. a non-finite pt), with
 * the reason a shift crew reads in the dead-letter topic (stage VALIDATE). It carries no stack
 * trace: it is an expected outcome on bad input, not a bug.
 */
public class InvalidEventException extends Exception {

    private static final long serialVersionUID = 1L;

    /** An invalid event, described by {@code reason}. */
    public InvalidEventException(String reason) {
        super(reason, null, false, false);
    }
}
