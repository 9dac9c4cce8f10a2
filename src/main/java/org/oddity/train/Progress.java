package org.oddity.train;

/** Receives progress of a long job in units of work (events); the command line shows it as a bar. */
@FunctionalInterface
public interface Progress {

    /** Progress that goes nowhere. */
    Progress NONE = done -> { };

    /** {@code done} units are finished so far. */
    void update(long done);
}
