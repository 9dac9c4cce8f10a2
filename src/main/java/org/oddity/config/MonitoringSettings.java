package org.oddity.config;

import java.time.Duration;
import org.oddity.monitor.MonitorSettings;

/**
 * How the scoring tasks window their monitoring counts and how the merged windows are tested.
 *
 * @param enabled      whether the tasks pre-aggregate and the monitor runs
 * @param window       event-time length of a window (one lumisection, 2^18 LHC orbits, by default)
 * @param graceWindows how many windows after its own an event may arrive and still be counted
 * @param idleFlush    wall-clock quiet time after which a task closes its open windows, e.g. at
 *                     the end of a run; the monitor tests the windows it holds after twice this
 * @param pValueBins   equal bins of each window's p-value histogram
 * @param tests        the statistical tests' settings
 */
public record MonitoringSettings(boolean enabled, Duration window, int graceWindows, Duration idleFlush,
        int pValueBins, MonitorSettings tests) {
}
