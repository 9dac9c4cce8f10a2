package org.oddity.monitor;

import java.util.Collection;

/** The earliest and latest (run, lumisection) of the events some window summaries counted; all zero when none did. */
record RunRange(long firstRun, int firstLumisection, long lastRun, int lastLumisection) {

    static final RunRange NONE = new RunRange(0, 0, 0, 0);

    /** The range spanning every summary of {@code stats} that has one. */
    static RunRange of(Collection<CellWindowStats> stats) {
        RunRange range = null;
        for (CellWindowStats s : stats) {
            if (!s.hasRunRange()) {
                continue;
            }
            if (range == null) {
                range = new RunRange(s.firstRun(), s.firstLumisection(), s.lastRun(), s.lastLumisection());
                continue;
            }
            boolean earlier = s.firstRun() < range.firstRun
                    || (s.firstRun() == range.firstRun && s.firstLumisection() < range.firstLumisection);
            boolean later = s.lastRun() > range.lastRun
                    || (s.lastRun() == range.lastRun && s.lastLumisection() > range.lastLumisection);
            range = new RunRange(earlier ? s.firstRun() : range.firstRun,
                    earlier ? s.firstLumisection() : range.firstLumisection, later ? s.lastRun() : range.lastRun,
                    later ? s.lastLumisection() : range.lastLumisection);
        }
        return range == null ? NONE : range;
    }
}
