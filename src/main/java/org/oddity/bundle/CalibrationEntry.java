package org.oddity.bundle;

/** One calibration set listed in a bundle manifest: its cell, file and number of scores. */
public record CalibrationEntry(String cell, String file, int size) {
}
