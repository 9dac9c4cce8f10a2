/** Deterministic DAQ simulator: a collision event stream whose background depends on pileup as real data does. */
package org.oddity.sim;
