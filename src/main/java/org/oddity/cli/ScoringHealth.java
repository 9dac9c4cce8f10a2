package org.oddity.cli;

import org.oddity.topology.ScoringApplication;
import org.oddity.web.InstanceHealth;

/**
 * The health of one scoring instance: alive until its Kafka Streams client fails for good, ready
 * while it runs. A model is always loaded and calibrated by then: an instance starts with one,
 * and a model without a global calibration set large enough for every working point is refused
 * before it runs, so readiness waits only for the Kafka Streams client (joined the group, stores
 * and global stores restored).
 */
final class ScoringHealth implements InstanceHealth {

    private volatile ScoringApplication app;

    /** Reports on {@code started} from now on. */
    void watch(ScoringApplication started) {
        this.app = started;
    }

    @Override
    public boolean alive() {
        ScoringApplication watched = app;
        return watched == null || !watched.failed();
    }

    @Override
    public String notReadyBecause() {
        ScoringApplication watched = app;
        if (watched == null) {
            return "starting";
        }
        return watched.running() ? null : "Kafka Streams is " + watched.state();
    }
}
