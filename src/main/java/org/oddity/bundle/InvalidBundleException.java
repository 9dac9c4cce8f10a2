package org.oddity.bundle;

/** A model bundle that must not be used, with the reason in words an operator can act on. */
public final class InvalidBundleException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A refused bundle; {@code reason} names the bundle and what is wrong with it. */
    public InvalidBundleException(String reason) {
        super(reason);
    }

    /** A refused bundle whose reading failed with {@code cause}. */
    public InvalidBundleException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
