package org.oddity.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.oddity.eventfile.EventSource;
import org.oddity.train.Progress;

/**
 * A progress bar on standard error with the elapsed time and, where the total is known, an ETA: redrawn in
 * place on a terminal (at most five times a second), otherwise a line every tenth of the total or every
 * 10 seconds, whichever comes first, so CI logs stay short and a short run still shows it moved. The
 * measure is events, or for an event file of unknown row count the bytes read of its known size.
 *
 * <p>{@link #update} is called per event: it only compares counts, and looks at the clock (and the
 * bytes read) every {@link #CHECK_EVERY} events at most.
 */
final class ProgressBar implements Progress {

    /** Events between looks at the clock at most; smaller for small totals so each tenth shows on time. */
    static final int CHECK_EVERY = 256;
    /** On a non-terminal, the longest gap between two lines. */
    static final long LINE_EVERY_NANOS = 10_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;
    private static final double MEGABYTE = 1e6;

    private final String label;
    private final long total;
    private final LongSupplier bytesRead;
    private final PrintStream out;
    private final boolean terminal;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final long checkEvery;
    private long nextCheck;
    private long lastDrawNanos;
    private int lastTenth;
    private boolean ended;

    /** A bar of {@code total} events (0: unknown) on standard error. */
    ProgressBar(String label, long total) {
        this(label, total, null, System.err, System.console() != null, System::nanoTime);
    }

    /**
     * A bar for reading {@code events}: of its rows where the file says how many, else of its bytes where
     * its size is known, else of an unknown total.
     */
    static ProgressBar of(String label, EventSource events) {
        if (events.knownRows() <= 0 && events.knownBytes() > 0) {
            return ofBytes(label, events.knownBytes(), events::bytesRead);
        }
        return new ProgressBar(label, events.knownRows());
    }

    /** A bar on standard error of {@code bytesRead} against {@code totalBytes}, counting events as it goes. */
    static ProgressBar ofBytes(String label, long totalBytes, LongSupplier bytesRead) {
        return new ProgressBar(label, totalBytes, bytesRead, System.err, System.console() != null, System::nanoTime);
    }

    /**
     * @param total     the total of the measure, 0 if unknown
     * @param bytesRead the bytes read so far when the measure is bytes ({@code total} is then the size), or null
     *                  when it is the events given to {@link #update}
     * @param terminal  whether to redraw one line in place rather than print lines
     * @param nanoClock the time in nanoseconds, as {@link System#nanoTime()}
     */
    ProgressBar(String label, long total, LongSupplier bytesRead, PrintStream out, boolean terminal,
            LongSupplier nanoClock) {
        this.label = label;
        this.total = Math.max(0, total);
        this.bytesRead = bytesRead;
        this.out = out;
        this.terminal = terminal;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos;
        this.checkEvery = bytesRead == null && total > 0 ? Math.max(1, Math.min(CHECK_EVERY, total / 1000))
                : CHECK_EVERY;
        this.nextCheck = checkEvery;
    }

    @Override
    public void update(long done) {
        boolean complete = bytesRead == null && total > 0 && done == total;
        if (done < nextCheck && !complete) {
            return;
        }
        nextCheck = done + checkEvery;
        draw(done, complete);
    }

    /** Shows the final count: the last line, or the end of the redrawn one. */
    void finish(long done) {
        draw(done, true);
    }

    private void draw(long done, boolean complete) {
        long now = nanoClock.getAsLong();
        double fraction = complete ? 1.0 : fraction(done);
        int tenth = (int) Math.floor(fraction * 10);
        if (terminal) {
            // The line ends once: reaching the total and then finishing draw it only the first time.
            if (complete ? !ended : now - lastDrawNanos >= REDRAW_NANOS) {
                lastDrawNanos = now;
                ended = complete;
                out.print("\r" + line(done, fraction, now) + (complete ? System.lineSeparator() : ""));
            }
        } else if ((total > 0 && tenth > lastTenth) || now - lastDrawNanos >= LINE_EVERY_NANOS
                || (complete && lastTenth < 10)) {
            lastTenth = complete ? 10 : Math.max(lastTenth, tenth);
            lastDrawNanos = now;
            out.println(line(done, fraction, now));
        }
    }

    /** The share of the total done, 0 when the total is unknown. */
    private double fraction(long done) {
        if (total == 0) {
            return 0;
        }
        long measured = bytesRead == null ? done : bytesRead.getAsLong();
        return Math.min(1.0, measured / (double) total);
    }

    private String line(long done, double fraction, long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        String rate = String.format(Locale.ROOT, "%,.0f/s  elapsed %s", done / seconds, duration(seconds));
        if (total == 0) {
            return String.format(Locale.ROOT, "%-28s %,d  %s", label, done, rate);
        }
        int filled = (int) Math.min(WIDTH, Math.floor(fraction * WIDTH));
        String counts = bytesRead == null ? String.format(Locale.ROOT, "%,d/%,d", done, total)
                : String.format(Locale.ROOT, "%,d events, %,.1f/%,.1f MB", done, fraction * total / MEGABYTE,
                        total / MEGABYTE);
        // The rate so far, extrapolated: the remaining share takes as long per unit as the share done.
        String eta = fraction > 0 && fraction < 1 ? "  ETA " + duration(seconds * (1 - fraction) / fraction) : "";
        return String.format(Locale.ROOT, "%-28s [%s%s] %3d%% %s  %s%s", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), (int) Math.floor(fraction * 100), counts, rate, eta);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
