package org.oddity.calibrate;

/** Which conformal p-value the scorer reports. */
public enum PValueMode {
    /** (1 + #{s_i >= s}) / (1 + n): ties count against the event; P(p <= alpha) <= alpha. */
    CONSERVATIVE,
    /** Ties broken by a uniform draw: p is exactly uniform under exchangeability. */
    RANDOMIZED
}
