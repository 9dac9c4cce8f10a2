/**
 * Offline evaluation of a model bundle on labelled or unlabelled events: per-cell flag rates under
 * conditional and global calibration, ROC curves per signal, p-value uniformity, and the report files.
 */
package org.oddity.evaluate;
