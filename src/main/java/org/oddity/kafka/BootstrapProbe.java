package org.oddity.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether any address of a bootstrap list takes a TCP connection. Asked before a command first
 * talks to the cluster, so that an unreachable one is one line in seconds, naming each address
 * and why, where a Kafka client would retry for its whole timeout with a warning per attempt.
 */
final class BootstrapProbe {

    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;

    private BootstrapProbe() {
    }

    /**
     * Returns once one address of {@code bootstrapServers} ({@code host:port,...}) takes a connection.
     *
     * @throws KafkaUnavailableException naming every address and why it could not be reached
     */
    static void requireReachable(String bootstrapServers) throws KafkaUnavailableException {
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
