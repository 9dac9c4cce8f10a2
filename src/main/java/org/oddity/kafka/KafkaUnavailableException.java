package org.oddity.kafka;

/** The Kafka cluster could not be reached or refused an administrative request. */
public final class KafkaUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The cluster at {@code bootstrapServers} could not be used, for {@code reason}. */
    public KafkaUnavailableException(String bootstrapServers, String reason) {
        super("Kafka at " + bootstrapServers + ": " + reason);
    }

    /** A failure talking to the cluster at {@code bootstrapServers}. */
    public KafkaUnavailableException(String bootstrapServers, Throwable cause) {
        super("Kafka at " + bootstrapServers + ": " + (cause.getCause() != null ? cause.getCause() : cause), cause);
    }
}
