package org.oddity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private static final long MILLI = 1_000_000L;

    /** A clock the test sets, counting how often it is read. */
    private static final class TestClock implements LongSupplier {
        long nanos;
        long reads;

        @Override
        public long getAsLong() {
            reads++;
            return nanos;
        }
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final TestClock clock = new TestClock();

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aShortFastRunInALogPrintsALinePerTenth() {
        ProgressBar bar = new ProgressBar("evaluating", 20_000, null, out, false, clock);
        for (long done = 1; done <= 20_000; done++) {
            clock.nanos = done * MILLI / 10;
            bar.update(done);
        }
        bar.finish(20_000);
        List<String> lines = lines();
        assertEquals(10, lines.size(), String.join("\n", lines));
        for (int i = 0; i < 10; i++) {
            assertTrue(lines.get(i).contains(String.format(" %3d%% %,d/20,000", 10 * (i + 1), 2_000 * (i + 1))),
                    lines.get(i));
        }
        assertTrue(lines.get(9).contains("elapsed 0:02") && !lines.get(9).contains("ETA"), lines.get(9));
    }

    @Test
    void aSlowRunInALogPrintsALineEveryTenSecondsBetweenTenths() {
        ProgressBar bar = new ProgressBar("training", 1_000, null, out, false, clock);
        // 200 ms an event: a tenth takes 20 s, so a 10 s line falls between two tenths.
        for (long done = 1; done <= 150; done++) {
            clock.nanos = done * 200 * MILLI;
            bar.update(done);
        }
        List<String> lines = lines();
        // 30 s in: lines at 10 s (5%), 20 s (10%, a tenth and 10 s at once) and 30 s (15%).
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("  5% 50/1,000") && lines.get(0).contains("elapsed 0:10"), lines.get(0));
        assertTrue(lines.get(1).contains(" 10% 100/1,000") && lines.get(1).contains("elapsed 0:20"), lines.get(1));
        assertTrue(lines.get(2).contains(" 15% 150/1,000") && lines.get(2).contains("elapsed 0:30"), lines.get(2));
    }

    @Test
    void theEtaExtrapolatesTheRateSoFar() {
        ProgressBar bar = new ProgressBar("calibrating", 1_000, null, out, true, clock);
        clock.nanos = 30_000 * MILLI;
        bar.update(250);
        String line = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(line.startsWith("\rcalibrating"), line);
        assertTrue(line.endsWith(" 25% 250/1,000  8/s  elapsed 0:30  ETA 1:30"), line);
        assertEquals("1:01:05", ProgressBar.duration(3_665));
        assertEquals("0:59", ProgressBar.duration(59.4));
    }

    @Test
    void onATerminalTheLineIsRedrawnAtMostFiveTimesASecondAndEndedOnce() {
        ProgressBar bar = new ProgressBar("simulate", 10_000, null, out, true, clock);
        for (long done = 1; done <= 10_000; done++) {
            clock.nanos = done * MILLI / 10;
            bar.update(done);
        }
        bar.finish(10_000);
        String text = bytes.toString(StandardCharsets.UTF_8);
        // 1 s in all: redrawn at 0.2, 0.4, 0.6 and 0.8 s, then at the total, and not again when finished.
        assertEquals(5, text.split("\r", -1).length - 1, text);
        assertEquals(text.length() - System.lineSeparator().length(), text.indexOf(System.lineSeparator()), text);
        assertTrue(text.endsWith("100% 10,000/10,000  10,000/s  elapsed 0:01" + System.lineSeparator()), text);
    }

    @Test
    void withoutTheRowCountTheBytesReadOfTheFileSizeGiveTheShare() {
        long[] read = {0};
        ProgressBar bar = new ProgressBar("replaying x.csv", 4_000_000, () -> read[0], out, false, clock);
        for (long done = 1; done <= 40_000; done++) {
            read[0] = done * 100;
            clock.nanos = done * MILLI;
            bar.update(done);
        }
        bar.finish(40_000);
        List<String> lines = lines();
        assertTrue(lines.size() >= 10 && lines.size() <= 11, String.join("\n", lines));
        assertTrue(lines.get(0).contains(" 10% 4,") && lines.get(0).contains(" events, 0.4/4.0 MB"), lines.get(0));
        assertTrue(lines.get(0).contains("ETA 0:3"), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).contains("100% 40,000 events, 4.0/4.0 MB"), lines.get(lines.size() - 1));
    }

    @Test
    void anUnknownTotalPrintsEveryTenSecondsAndTheFinalCount() {
        ProgressBar bar = new ProgressBar("training", 0, null, out, false, clock);
        for (long done = 1; done <= 35_000; done++) {
            clock.nanos = done * MILLI;
            bar.update(done);
        }
        bar.finish(35_000);
        List<String> lines = lines();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("training +10,[0-9]{3}  1,000/s  elapsed 0:10"), lines.get(0));
        assertTrue(lines.get(3).matches("training +35,000  1,000/s  elapsed 0:35"), lines.get(3));
    }

    @Test
    void theClockIsReadOnceEveryFewHundredEventsNotPerEvent() {
        ProgressBar bar = new ProgressBar("training", 0, null, out, false, clock);
        long before = clock.reads;
        for (long done = 1; done <= 1_000_000; done++) {
            bar.update(done);
        }
        assertEquals(1_000_000 / ProgressBar.CHECK_EVERY, clock.reads - before);
    }
}
