package org.oddity.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** A cluster that refuses oddity's credentials or permissions is said to, in one line naming the cluster. */
class KafkaUnavailableExceptionTest {

    @Test
    void aRefusedLoginIsSaidAsSuch() {
        Exception failure = new ExecutionException(new SaslAuthenticationException(
                "Authentication failed: Invalid username or password"));
        assertEquals("Kafka at b1:9093: authentication failed: Invalid username or password (settings"
                + " kafka.security.protocol, kafka.sasl.*, kafka.ssl.*)",
                new KafkaUnavailableException("b1:9093", failure).getMessage());
        assertTrue(KafkaUnavailableException.isRefusal(failure));
        assertTrue(KafkaUnavailableException.isRefusal(new StreamsException("global thread",
                new SaslAuthenticationException("Authentication failed"))), "found among the causes");
    }

    @Test
    void aRefusedPermissionIsSaidAsSuch() {
        Exception failure = new StreamsException(new TopicAuthorizationException("Not authorized to access topics:"
                + " [daq.events]"));
        assertEquals("Kafka at b1:9093: not authorized: Not authorized to access topics: [daq.events]",
                new KafkaUnavailableException("b1:9093", failure).getMessage());
        assertTrue(KafkaUnavailableException.isRefusal(failure));
    }

    @Test
    void anythingElseIsItsCause() {
        Exception failure = new ExecutionException(new ConnectException("Connection refused"));
        assertEquals("Kafka at b1:9093: java.net.ConnectException: Connection refused",
                new KafkaUnavailableException("b1:9093", failure).getMessage());
        assertFalse(KafkaUnavailableException.isRefusal(failure));
        assertFalse(KafkaUnavailableException.isRefusal(null));
    }
}
