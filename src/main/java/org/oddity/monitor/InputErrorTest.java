package org.oddity.monitor;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.oddity.calibrate.CellScheme;

/**
 * The window's test of its dead letters against the tolerated input-error rate: an exact
 * binomial upper-tail test of all of them among all records, in the global cell, since most dead
 * letters are refused before their cell is known.
 */
final class InputErrorTest {

    private final long deadLetters;
    private final long records;
    private final double rate;
    private final double pValue;
    private final RunRange range;

    private InputErrorTest(long deadLetters, long records, double rate, RunRange range) {
        this.deadLetters = deadLetters;
        this.records = records;
        this.rate = rate;
        this.range = range;
        this.pValue = records > 0 ? BinomialTest.upperTail(deadLetters, records, rate) : Double.NaN;
    }

    /** Tests the dead letters of every summary of a window against {@code toleratedRate} per record. */
    static InputErrorTest run(Collection<CellWindowStats> window, double toleratedRate) {
        long deadLetters = 0;
        long records = 0;
        for (CellWindowStats s : window) {
            deadLetters += s.deadLetters();
            records += s.events() + s.deadLetters();
        }
        return new InputErrorTest(deadLetters, records, toleratedRate, RunRange.of(window));
    }

    /** P(X >= dead letters), NaN for a window without records. */
    double pValue() {
        return pValue;
    }

    /** The INPUT_ERRORS finding given the corrected p-value; none for a window without records. */
    List<Finding> findings(double corrected, MonitorSettings settings) {
        if (records == 0) {
            return List.of();
        }
        double expected = records * rate;
        return List.of(Finding.ofTest(new AlertKey(AlertKind.INPUT_ERRORS, CellScheme.GLOBAL, null),
                "exact binomial P(X >= x) of dead letters", deadLetters, pValue, corrected, deadLetters, expected,
                range, List.of(), settings, String.format(Locale.ROOT, "%d dead letters in %d records, %.1f tolerated"
                        + " (rate %.3g); P(X >= %d) = %.3g, %s %.3g", deadLetters, records, expected, rate,
                        deadLetters, pValue, settings.correction().label(), corrected)));
    }
}
