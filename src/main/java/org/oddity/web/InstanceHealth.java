package org.oddity.web;

/**
 * What the liveness and readiness checks of one instance report. A platform restarts an
 * instance that is not alive and sends no traffic to, or waits in a rolling update for, one
 * that is not ready.
 */
public interface InstanceHealth {

    /** False once the instance cannot recover by itself, e.g. its Kafka Streams client failed. */
    boolean alive();

    /** Null if the instance is scoring; otherwise why not, in one line. */
    String notReadyBecause();
}
