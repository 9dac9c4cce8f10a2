package org.oddity.cli;

import java.io.PrintStream;
import org.oddity.train.Progress;

/**
 * A progress bar on standard error: redrawn in place on a terminal, a line per tenth otherwise
 * (so CI logs stay short). Redraws at most five times a second. With an unknown total (0) it
 * shows the count and rate, on a non-terminal every million units.
 */
final class ProgressBar implements Progress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final String label;
    private static final long UNKNOWN_TOTAL_LINE_EVERY = 1_000_000;

    private final long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private int lastTenth = -1;

    ProgressBar(String label, long total) {
        this.label = label;
        this.total = total;
        this.out = System.err;
        this.terminal = System.console() != null;
    }

    @Override
    public void update(long done) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDrawNanos >= REDRAW_NANOS || done == total) {
                lastDrawNanos = now;
                out.print("\r" + line(done, now));
                if (done == total) {
                    out.println();
                }
            }
        } else if (total <= 0) {
            if (done % UNKNOWN_TOTAL_LINE_EVERY == 0) {
                out.println(line(done, now));
            }
        } else {
            int tenth = (int) Math.min(10, done * 10 / total);
            if (tenth != lastTenth) {
                lastTenth = tenth;
                out.println(line(done, now));
            }
        }
    }

    private String line(long done, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        if (total <= 0) {
            return String.format("%-28s %,d  %,.0f/s", label, done, done / seconds);
        }
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        return String.format("%-28s [%s%s] %3d%% %,d/%,d  %,.0f/s", label, "#".repeat(filled), "-".repeat(WIDTH - filled),
                done * 100 / total, done, total, done / seconds);
    }
}
