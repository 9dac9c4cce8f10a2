package org.oddity.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C / SIGTERM into a signal the main thread waits for, and holds the JVM's
 * shutdown until the main thread has closed what it opened (streams, broker), so nothing is
 * left half-committed or orphaned.
 */
final class ShutdownSignal implements AutoCloseable {

    private static final long CLEANUP_SECONDS = 60;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);
    private final Thread hook;

    ShutdownSignal() {
        hook = new Thread(() -> {
            requested.countDown();
            try {
                cleanedUp.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "oddity-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits up to {@code millis} for a stop request; true if one came. */
    boolean awaitStop(long millis) throws InterruptedException {
        return requested.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Whether a stop was requested. */
    boolean stopRequested() {
        return requested.getCount() == 0;
    }

    /** Marks cleanup as done; call after closing everything else. */
    @Override
    public void close() {
        cleanedUp.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook has been released by cleanedUp.
        }
    }
}
