package org.oddity.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The Kafka cluster could not be reached, refused oddity's credentials, or refused an
 * administrative request. A refusal of credentials or permissions is said as such: the cluster is
 * up, and retrying would not help.
 */
public final class KafkaUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The cluster at {@code bootstrapServers} could not be used, for {@code reason}. */
    public KafkaUnavailableException(String bootstrapServers, String reason) {
        super("Kafka at " + bootstrapServers + ": " + reason);
    }

    /** A failure talking to the cluster at {@code bootstrapServers}. */
    public KafkaUnavailableException(String bootstrapServers, Throwable cause) {
        super("Kafka at " + bootstrapServers + ": " + reason(cause), cause);
    }

    /**
     * Whether {@code failure} (null for none) is, or was caused by, Kafka refusing oddity's
     * credentials or permissions: a cluster that is up, and says no.
     */
    public static boolean isRefusal(Throwable failure) {
        return refusal(failure) != null;
    }

    /**
     * What went wrong, in one line: Kafka's authentication and authorization errors by their
     * message (Kafka's messages never carry the credentials), else the cause of {@code failure}.
     */
    private static String reason(Throwable failure) {
        Throwable refusal = refusal(failure);
        if (refusal instanceof AuthenticationException) {
            String detail = String.valueOf(refusal.getMessage()).replaceFirst("(?i)^authentication failed:?\\s*", "");
            return "authentication failed" + (detail.isEmpty() ? "" : ": " + detail)
                    + " (settings kafka.security.protocol, kafka.sasl.*, kafka.ssl.*)";
        }
        if (refusal != null) {
            return "not authorized: " + refusal.getMessage();
        }
        return String.valueOf(failure.getCause() != null ? failure.getCause() : failure);
    }

    private static Throwable refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return t;
            }
        }
        return null;
    }
}
