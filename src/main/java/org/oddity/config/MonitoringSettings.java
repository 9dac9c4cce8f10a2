package org.oddity.config;

import static org.oddity.config.SettingValues.flag;
import static org.oddity.config.SettingValues.intIn;
import static org.oddity.config.SettingValues.oneOf;
import static org.oddity.config.SettingValues.realIn;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.oddity.monitor.Correction;
import org.oddity.monitor.MonitorSettings;
import org.oddity.monitor.SummaryLayout;

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

    /** Keys {@code monitor.*}. */
    static MonitoringSettings from(SettingsSource source) {
        boolean enabled = flag(source, "monitor.enabled");
        Correction correction = oneOf(source, "monitor.correction", List.of(Correction.values()),
                c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        MonitorSettings tests = new MonitorSettings(
                realIn(source, "monitor.false-discovery-rate", 0, 1),
                correction,
                realIn(source, "monitor.tolerated-input-error-rate", -Double.MIN_VALUE, 1),
                intIn(source, "monitor.quiet-windows", 1, 1000),
                realIn(source, "monitor.cusum-k", -Double.MIN_VALUE, 100),
                realIn(source, "monitor.cusum-h", 0, 1000),
                realIn(source, "monitor.critical-p-value", 0, 1),
                intIn(source, "monitor.top-features", 0, 1000));
        return new MonitoringSettings(enabled,
                Durations.parse("monitor.window", source.get("monitor.window")),
                intIn(source, "monitor.grace-windows", 0, 100),
                Durations.parse("monitor.idle-flush", source.get("monitor.idle-flush")),
                intIn(source, "monitor.p-value-bins", 2, SummaryLayout.MAX_P_VALUE_BINS),
                tests);
    }
}
