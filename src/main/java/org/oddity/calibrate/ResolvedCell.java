package org.oddity.calibrate;

/**
 * Where one finest cell takes its calibration from, for one working point, after fallback.
 *
 * @param requested name of the finest cell the event's conditions select
 * @param used      name of the cell whose calibration set is used
 * @param level     fallback level of {@code used}; 0 means no fallback
 * @param source    where the set comes from: {@link CalibrationTable#ONLINE} or {@link CalibrationTable#BUNDLE}
 * @param set       the calibration scores of {@code used}
 */
public record ResolvedCell(String requested, String used, int level, String source, ConformalCalibration set) {
}
