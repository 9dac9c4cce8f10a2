package org.oddity.eventfile;

import java.io.IOException;

/** An event file that cannot be read at all: not the format it claims, truncated before its data, no usable table. */
public class EventFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** {@code message} names the file and what is wrong with it. */
    public EventFileException(String message) {
        super(message);
    }

    /** {@code message} names the file and what is wrong with it; {@code cause} is the reader library's error. */
    public EventFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
