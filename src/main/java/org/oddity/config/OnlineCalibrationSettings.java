package org.oddity.config;

import java.time.Duration;

/**
 * How the instance calibrates from the unbiased stream on the calibration topic.
 *
 * @param enabled         whether the calibration topic is read at all
 * @param reservoirSize   scores kept per (model version, cell) by each task: the most recent ones
 * @param window          event-time span of a reservoir: older scores are dropped; zero keeps the last
 *                        {@code reservoirSize} whatever their age
 * @param publishInterval how often each task publishes snapshots of the cells that changed
 * @param maxAge          an online snapshot older than this (wall clock since publication) is
 *                        reported stale; zero never reports
 */
public record OnlineCalibrationSettings(boolean enabled, int reservoirSize, Duration window,
        Duration publishInterval, Duration maxAge) {
}
