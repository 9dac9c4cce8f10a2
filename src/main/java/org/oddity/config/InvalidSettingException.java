package org.oddity.config;

/** A setting whose value oddity cannot use; the message is the one line shown to the user. */
public final class InvalidSettingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /** {@code key} has {@code value}, which is not {@code expected}. */
    public InvalidSettingException(String key, String value, String expected) {
        super("invalid setting " + key + "=" + (value == null ? "" : "'" + value + "'") + ": " + expected);
        this.key = key;
    }

    /** The offending key. */
    public String key() {
        return key;
    }
}
