package org.oddity.config;

import static org.oddity.config.SettingValues.flag;
import static org.oddity.config.SettingValues.intIn;

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

    /**
     * Most scores one calibration snapshot may carry: 8 bytes each, it must stay below Kafka's
     * default 1 MB record size.
     */
    public static final int MAX_SNAPSHOT_SCORES = 120_000;

    /** Keys {@code calibration.online.*} and {@code calibration.max-age}. */
    static OnlineCalibrationSettings from(SettingsSource source) {
        return new OnlineCalibrationSettings(flag(source, "calibration.online.enabled"),
                intIn(source, "calibration.online.reservoir-size", 1, MAX_SNAPSHOT_SCORES),
                Durations.parseOrZero("calibration.online.window", source.get("calibration.online.window")),
                Durations.parse("calibration.online.publish-interval",
                        source.get("calibration.online.publish-interval")),
                Durations.parseOrZero("calibration.max-age", source.get("calibration.max-age")));
    }
}
