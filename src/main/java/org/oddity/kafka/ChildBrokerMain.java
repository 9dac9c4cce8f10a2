package org.oddity.kafka;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Main class of the child broker JVM: {@code kafka.Kafka}, stopped when the parent's end of stdin closes. */
final class ChildBrokerMain {

    private static final Logger LOG = LoggerFactory.getLogger(ChildBrokerMain.class);

    private ChildBrokerMain() {
    }

    /**
     * The parent's shutdown hook stops the broker on a normal exit, but a parent killed with SIGKILL
     * runs no hook. The operating system then closes the parent's end of the stdin pipe, and the
     * end of input here is the signal to run Kafka's own controlled shutdown.
     */
    public static void main(String[] args) {
        Thread watchdog = new Thread(() -> awaitEndOfInput(System.in), "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }

    private static void awaitEndOfInput(InputStream stdin) {
        try {
            while (stdin.read() != -1) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException brokenPipe) {
            // A pipe that cannot be read any more has lost its writer too.
        }
        LOG.warn("The parent process is gone; stopping the broker");
        System.exit(0);
    }
}
