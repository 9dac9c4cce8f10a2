/**
 * Training and calibrating model bundles: the held-out split, scorer training, the per-cell calibration
 * sets and the monitor's reference collected from held-out background, and recalibration of a bundle.
 */
package org.oddity.train;
