package org.oddity.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.testing.KafkaRoundTrip;

@Tag("broker")
class LocalKafkaBrokerTest {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final int RECORDS = 100;

    @Test
    void runsARealBrokerInAChildProcessAndCleansUpAfterIt(@TempDir Path workDir) throws Exception {
        LocalKafkaBroker broker = LocalKafkaBroker.start(workDir, STARTUP_TIMEOUT);
        ProcessHandle child = broker.processHandle();
        try {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"), broker.bootstrapServers());
            assertTrue(child.isAlive());
            assertTrue(Files.isDirectory(workDir.resolve(LocalKafkaBroker.DATA_DIR)));

            KafkaRoundTrip.assertRoundTripInOrder(broker.clientSettings(), "local-broker-round-trip", RECORDS);
            assertTrue(Files.readString(broker.logFile()).contains("Kafka Server started"),
                    "the broker logs at INFO into " + broker.logFile());
        } finally {
            broker.close();
        }

        assertFalse(child.isAlive(), "the child JVM has exited");
        assertFalse(Files.exists(workDir.resolve(LocalKafkaBroker.DATA_DIR)), "the data directory is deleted");
        assertTrue(Files.exists(broker.logFile()), "the log stays for the user to read");
        broker.close();
    }

    @Test
    void aBrokerThatCannotStartReportsTheEndOfItsLog(@TempDir Path workDir) throws IOException {
        // Formatting does not bind any port; the broker then finds its controller port taken and exits.
        try (ServerSocket occupied = loopbackSocket()) {
            int brokerPort = freePort();
            IOException failure = assertThrows(IOException.class, () -> LocalKafkaBroker.start(
                    workDir, STARTUP_TIMEOUT, brokerPort, occupied.getLocalPort(), BrokerListener.plaintext()));

            String message = failure.getMessage();
            assertTrue(message.contains("exited with code"), message);
            assertTrue(message.contains(workDir.resolve(LocalKafkaBroker.LOG_FILE).toString()), message);
            assertTrue(message.contains("first error:\n") && message.contains("Address already in use"), message);
            assertTrue(message.lines().count() > 5, "the message carries the log's last lines:\n" + message);
        }
        assertFalse(Files.exists(workDir.resolve(LocalKafkaBroker.DATA_DIR)), "the data directory is deleted");
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aParentKilledWithoutShutdownHooksTakesItsBrokerWithIt(@TempDir Path workDir) throws Exception {
        Process parent = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                ParentThatWaits.class.getName(), workDir.toString())
                .redirectErrorStream(true)
                .start();
        ProcessHandle child = null;
        try {
            child = ProcessHandle.of(childPid(parent)).orElseThrow();
            assertTrue(child.isAlive());

            parent.destroyForcibly().waitFor();

            child.onExit().get(60, TimeUnit.SECONDS);
            assertFalse(child.isAlive(), "the broker exited once its parent was gone");
            assertTrue(Files.readString(workDir.resolve(LocalKafkaBroker.LOG_FILE))
                    .contains("The parent process is gone"));
        } finally {
            parent.destroyForcibly();
            if (child != null) {
                child.destroyForcibly();
            }
        }
    }

    /** Reads the parent's output up to the line that names its broker's pid. */
    private static long childPid(Process parent) throws IOException {
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(ParentThatWaits.CHILD_PID)) {
                    return Long.parseLong(line.substring(ParentThatWaits.CHILD_PID.length()));
                }
                output.append(line).append('\n');
            }
        }
        throw new AssertionError("The parent exited without starting a broker:\n" + output);
    }

    /** A parent JVM that starts a broker, prints the broker's pid and waits to be killed. */
    static final class ParentThatWaits {
        static final String CHILD_PID = "child-pid=";

        public static void main(String[] args) throws IOException, InterruptedException {
            LocalKafkaBroker broker = LocalKafkaBroker.start(Path.of(args[0]), STARTUP_TIMEOUT);
            System.out.println(CHILD_PID + broker.processHandle().pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = loopbackSocket()) {
            return socket.getLocalPort();
        }
    }

    private static ServerSocket loopbackSocket() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getByName(LocalKafkaBroker.HOST));
    }
}
