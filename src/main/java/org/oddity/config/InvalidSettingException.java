package org.oddity.config;

/** A setting whose value oddity cannot use; the message is the one line shown to the user. */
public final class InvalidSettingException extends RuntimeException {

    /** What a message shows in place of a value that is, or may be, a secret. */
    public static final String HIDDEN = "[hidden]";

    private static final long serialVersionUID = 1L;

    private final String key;

    /** {@code key} has {@code value}, which is not {@code expected}. */
    public InvalidSettingException(String key, String value, String expected) {
        this(key, "invalid setting " + key + "=" + (value == null ? "" : "'" + value + "'") + ": " + expected);
    }

    private InvalidSettingException(String key, String message) {
        super(message);
        this.key = key;
    }

    /**
     * {@code key} has a value that is not {@code expected}, and the message does not show it: a
     * password, or the value of a key oddity does not know, which may be a mistyped password's.
     */
    public static InvalidSettingException hidingValue(String key, String expected) {
        return new InvalidSettingException(key, "invalid setting " + key + "=" + HIDDEN + ": " + expected);
    }

    /** The offending key. */
    public String key() {
        return key;
    }
}
