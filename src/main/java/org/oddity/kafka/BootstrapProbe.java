package org.oddity.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.oddity.client.KafkaClientSettings;

/**
 * Whether any address of a bootstrap list takes a TCP connection. Asked before a command first
 * talks to the cluster, so that an unreachable one is one line in seconds, naming each address
 * and why, where a Kafka client would retry for its whole timeout with a warning per attempt.
 * A connection is all it asks for: credentials are tried by the first request of a client, and
 * a cluster that refuses them is not down ({@link KafkaUnavailableException} says which it was).
 */
final class BootstrapProbe {

    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;

    private BootstrapProbe() {
    }

    /**
     * Returns once one bootstrap address of {@code cluster} takes a connection.
     *
     * @throws KafkaUnavailableException naming every address and why it could not be reached
     */
    static void requireReachable(KafkaClientSettings cluster) throws KafkaUnavailableException {
        String bootstrapServers = cluster.bootstrapServers();
        List<String> failures = new ArrayList<>();
        for (String address : bootstrapServers.split(",")) {
            String trimmed = address.trim();
            int colon = trimmed.lastIndexOf(':');
            String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, Integer.parseInt(trimmed.substring(colon + 1))),
                        CONNECT_TIMEOUT_MILLIS);
                return;
            } catch (IOException | IllegalArgumentException e) {
                failures.add(trimmed + ": " + e.getMessage());
            }
        }
        throw new KafkaUnavailableException(bootstrapServers, "no broker reachable (" + String.join("; ", failures)
                + ")");
    }
}
