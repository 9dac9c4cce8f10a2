package org.oddity.monitor;

/** Where an alert is in its lifecycle; the update names the transition. */
public enum AlertState {
    /** First window of the condition: emitted once. */
    RAISED,
    /** The condition holds again in a later window: at most one update per window. */
    ONGOING,
    /** The condition has been quiet for the configured number of windows. */
    CLEARED
}
