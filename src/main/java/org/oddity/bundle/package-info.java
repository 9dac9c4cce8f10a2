/**
 * Model bundles on disk: manifest, parameters, calibration sets and the monitor's reference, written,
 * read and verified; announced bundles fetched; and a bundle resolved over the running cells and
 * working points ({@link org.oddity.bundle.ScoringModel}).
 */
package org.oddity.bundle;
