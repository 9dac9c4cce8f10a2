package org.oddity.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.oddity.client.KafkaClientSettings;

/** An outage is two lines: one when the cluster stops taking connections, one when it is back. */
class ClusterWatchTest {

    @Test
    void anOutageIsOneLineWhenItStartsAndOneWhenItEnds() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ServerSocket broker = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = broker.getLocalPort();
        try {
            try (ClusterWatch watch = ClusterWatch.start(KafkaClientSettings.of("127.0.0.1:" + port),
                    Duration.ofHours(1), out)) {
                watch.check();
                assertEquals("", bytes.toString(StandardCharsets.UTF_8), "nothing to say while it answers");
                broker.close();
                watch.check();
                watch.check();
                watch.check();
                String[] down = bytes.toString(StandardCharsets.UTF_8).strip().split("\\R");
                assertEquals(1, down.length, bytes.toString(StandardCharsets.UTF_8));
                assertTrue(down[0].startsWith("oddity: Kafka at 127.0.0.1:" + port + ": no broker reachable"),
                        down[0]);
                try (ServerSocket back = new ServerSocket()) {
                    back.setReuseAddress(true);
                    back.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    watch.check();
                    watch.check();
                }
                String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\\R");
                assertEquals(2, lines.length, bytes.toString(StandardCharsets.UTF_8));
                assertTrue(lines[1].startsWith("oddity: Kafka at 127.0.0.1:" + port + " reachable again after "),
                        lines[1]);
            }
        } finally {
            broker.close();
        }
    }
}
