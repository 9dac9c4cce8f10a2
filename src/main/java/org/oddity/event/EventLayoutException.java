package org.oddity.event;

/**
 * A valid event that does not carry the features an extractor reads: no trigger objects for
 * {@code l1-objects-57}, or a feature vector of another layout or length. It goes to the
 * dead-letter topic at stage EXTRACT, which tells a shift crew that the stream and the model do
 * not fit, where VALIDATE says the event itself is broken.
 */
public final class EventLayoutException extends InvalidEventException {

    private static final long serialVersionUID = 1L;

    /** An event the extractor cannot read, described by {@code reason}. */
    public EventLayoutException(String reason) {
        super(reason);
    }
}
