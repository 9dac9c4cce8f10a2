package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.oddity.avro.RunConditions;
import org.oddity.stats.KolmogorovSmirnov;

/**
 * The conformal guarantee, tested statistically: in every calibration cell, an event scored
 * against a fresh calibration set of its own cell gets p <= alpha with probability at most alpha
 * (exactly alpha for continuous scores when alpha (n + 1) is an integer), even though every cell
 * has a different score distribution; the randomized p-value is exactly uniform under ties while
 * the conservative one is not; and one global calibration set fails the same test per cell.
 *
 * <p>Every trial draws a new calibration set of n scores per cell and one new test event per cell,
 * routes the test event through {@link CellScheme#finestCellOf} and {@link CalibrationTable}, and
 * counts p <= alpha for each alpha. The trials are independent, so for each (cell, alpha) the count
 * is Binomial(T, q) (the three alphas share trials, which couples their counts but not the law of
 * each one); it is accepted when it lies inside the exact binomial bounds of
 * {@link SamplingTolerance} at tail mass 1e-6, and uniformity is judged by Kolmogorov-Smirnov at
 * level 1e-4. A correct implementation fails one of the 120 binomial checks with probability
 * about 1.2e-4 and one of the 8 uniformity checks with probability at most 8e-4; all draws use
 * fixed seeds, so the outcome is the same on every run.
 */
class ConformalValidityTest {

    private static final double[] ALPHAS = {0.1, 0.01, 0.001};
    /** alpha (n + 1) is an integer for every alpha: P(p <= alpha) is exactly alpha. */
    private static final int N = 999;
    private static final int TRIALS = 20_000;
    private static final int DISCRETE_TRIALS = 10_000;
    private static final double EPS = 1e-6;
    private static final double KS_LEVEL = 1e-4;

    /** Pileup bins pileup<30, 30<=pileup<40, 40<=pileup<50, pileup>=50, times ALL_IN / OTHER. */
    private static final CellScheme SCHEME = new CellScheme(
            List.of(new NumericBins("pileup", new double[] {30, 40, 50}), new StateBins("detectorState", List.of("ALL_IN"))),
            List.of(List.of("pileup", "detectorState"), List.of("pileup"), List.of()));
    private static final float[] PILEUP_OF_BIN = {24f, 35f, 45f, 58f};
    private static final String[] STATE_OF_BIN = {"ALL_IN", "ECAL_ENDCAP_OUT"};
    private static final int CELLS = 8;

    /** Conditions of a representative event of every finest cell, in finest-cell order. */
    private static final RunConditions[] CONDITIONS = new RunConditions[CELLS];

    @BeforeAll
    static void conditionsCoverEveryFinestCellOnce() {
        assertEquals(CELLS, SCHEME.cellsAt(0));
        for (int bin = 0; bin < PILEUP_OF_BIN.length; bin++) {
            for (int state = 0; state < STATE_OF_BIN.length; state++) {
                RunConditions c = new RunConditions(PILEUP_OF_BIN[bin], 1.5f, STATE_OF_BIN[state], new HashMap<>());
                int cell = SCHEME.finestCellOf(c);
                assertEquals(2 * bin + state, cell);
                CONDITIONS[cell] = c;
            }
        }
    }

    /**
     * Continuous scores as a monotone function of a standard exponential E: exponential with scale
     * 1 + (pileup bin) / 2 in ALL_IN, Lomax with shape 2 and the same scale (heavy tail) in OTHER.
     */
    private static double continuousScore(int cell, double e) {
        double scale = 1.0 + 0.5 * (cell / 2);
        return cell % 2 == 0 ? scale * e : scale * (Math.exp(0.5 * e) - 1.0);
    }

    /** Heavily tied scores, non-decreasing in E: an exponential rounded down to whole numbers, capped at 5. */
    private static double discreteScore(int cell, double e) {
        double scale = 0.6 + 0.3 * (cell / 2) + 0.2 * (cell % 2);
        return Math.min(5.0, Math.floor(scale * e));
    }

    /** A standard exponential draw; 1 - u lies in (0, 1], so the logarithm is finite. */
    private static double exponential(SplittableRandom random) {
        return -Math.log(1.0 - random.nextDouble());
    }

    /** A cell's score distribution, as a non-decreasing function of a standard exponential. */
    @FunctionalInterface
    private interface ScoreSource {
        double score(int cell, double exponential);
    }

    /**
     * Per trial, a fresh calibration set for every cell, resolved through a {@link CalibrationTable}.
     *
     * <p>The n calibration scores are drawn as the order statistics of n standard exponentials by
     * Renyi's representation, E_(i) = sum_{j <= i} Z_j / (n - j + 1), then mapped through the cell's
     * non-decreasing score function. That is exactly the distribution of n independent draws, sorted,
     * and it spares sorting 160 000 random arrays (CalibrationSet.of still sorts its copy; the
     * unsorted path is covered by {@link #tiesMakeTheConservativePValueStrictlyConservative} and
     * {@link CalibrationSetTest}).
     */
    private static final class Trials {
        private final ScoreSource source;
        private final SplittableRandom random;
        private final double[] buffer = new double[N];
        private final CalibrationSet globalPlaceholder;

        Trials(ScoreSource source, long seed) {
            this.source = source;
            this.random = new SplittableRandom(seed);
            // The table refuses a missing or small global cell; every finest cell holds exactly the minimum, so
            // the global set is never used for scoring here (asserted through the resolution level).
            double[] global = new double[CELLS * N];
            for (int i = 0; i < global.length; i++) {
                global[i] = source.score(i % CELLS, exponential(random));
            }
            this.globalPlaceholder = CalibrationSet.of(global);
        }

        /** One trial: a fresh calibration set for every cell, resolved at level 0. */
        CalibrationTable nextTable() {
            Map<String, CalibrationSet> sets = new HashMap<>();
            for (int cell = 0; cell < CELLS; cell++) {
                double e = 0.0;
                for (int i = 0; i < N; i++) {
                    e += exponential(random) / (N - i);
                    buffer[i] = source.score(cell, e);
                }
                sets.put(SCHEME.cellName(0, cell), CalibrationSet.of(buffer));
            }
            sets.put(CellScheme.GLOBAL, globalPlaceholder);
            return CalibrationTable.resolve(SCHEME, sets, N);
        }

        CalibrationSet setFor(CalibrationTable table, int cell) {
            ResolvedCell resolved = table.cellFor(SCHEME.finestCellOf(CONDITIONS[cell]));
            if (resolved.level() != 0 || resolved.set().size() != N) {
                throw new AssertionError("cell " + cell + " resolved to " + resolved.used() + " at level "
                        + resolved.level());
            }
            // The tables here are resolved from exact sets only.
            return (CalibrationSet) resolved.set();
        }

        double testScore(int cell) {
            return source.score(cell, exponential(random));
        }

        double uniform() {
            return random.nextDouble();
        }
    }

    @Test
    void continuousScoresGiveFlagRateAlphaInEveryCell() {
        Trials trials = new Trials(ConformalValidityTest::continuousScore, 20_240_601L);
        int[][] flagged = new int[CELLS][ALPHAS.length];
        for (int t = 0; t < TRIALS; t++) {
            CalibrationTable table = trials.nextTable();
            for (int cell = 0; cell < CELLS; cell++) {
                double p = trials.setFor(table, cell).pValue(trials.testScore(cell));
                for (int a = 0; a < ALPHAS.length; a++) {
                    if (p <= ALPHAS[a]) {
                        flagged[cell][a]++;
                    }
                }
            }
        }
        List<String> failures = new ArrayList<>();
        for (int a = 0; a < ALPHAS.length; a++) {
            int upper = SamplingTolerance.binomialUpper(TRIALS, ALPHAS[a], EPS);
            int lower = SamplingTolerance.binomialLower(TRIALS, ALPHAS[a], EPS);
            for (int cell = 0; cell < CELLS; cell++) {
                int count = flagged[cell][a];
                if (count > upper || count < lower) {
                    failures.add(SCHEME.cellName(0, cell) + " alpha=" + ALPHAS[a] + ": " + count + " of " + TRIALS
                            + " flagged, accepted [" + lower + ", " + upper + "]");
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void oneGlobalCalibrationMisflagsTheLowAndHighPileupCells() {
        // The same cells scored against the union of all cells' calibration sets: the statistic that the
        // per-cell test accepts must reject it, otherwise the per-cell test could not tell the difference.
        // Expected rates against the pooled 10% threshold (about 4.0): 1.8% in pileup<30 ALL_IN and 20% in
        // pileup>=50 ALL_IN; 1500 trials put both more than 5 standard deviations outside the 1e-6 bounds.
        int trials = 1_500;
        double alpha = 0.1;
        Trials draws = new Trials(ConformalValidityTest::continuousScore, 77L);
        int[] flagged = new int[CELLS];
        List<CalibrationSet> parts = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            CalibrationTable table = draws.nextTable();
            parts.clear();
            for (int cell = 0; cell < CELLS; cell++) {
                parts.add(draws.setFor(table, cell));
            }
            CalibrationSet global = CalibrationSet.union(parts);
            for (int cell = 0; cell < CELLS; cell++) {
                double p = global.pValue(draws.testScore(cell));
                if (p <= alpha) {
                    flagged[cell]++;
                }
            }
        }
        int lower = SamplingTolerance.binomialLower(trials, alpha, EPS);
        int upper = SamplingTolerance.binomialUpper(trials, alpha, EPS);
        // The narrow low-pileup cell is rarely flagged by the pooled threshold ...
        assertTrue(flagged[0] < lower, "pileup<30 ALL_IN flagged " + flagged[0] + ", lower bound " + lower);
        // ... while the wide high-pileup cell of the same family is flagged twice as often as alpha.
        assertTrue(flagged[6] > upper, "pileup>=50 ALL_IN flagged " + flagged[6] + ", upper bound " + upper);
    }

    @Test
    void tiedScoresKeepTheConservativeGuaranteeAndTheRandomizedPValueIsUniform() {
        Trials trials = new Trials(ConformalValidityTest::discreteScore, 8_675_309L);
        double[][] conservative = new double[CELLS][DISCRETE_TRIALS];
        double[][] randomized = new double[CELLS][DISCRETE_TRIALS];
        for (int t = 0; t < DISCRETE_TRIALS; t++) {
            CalibrationTable table = trials.nextTable();
            for (int cell = 0; cell < CELLS; cell++) {
                CalibrationSet set = trials.setFor(table, cell);
                double score = trials.testScore(cell);
                conservative[cell][t] = set.pValue(score);
                randomized[cell][t] = set.randomizedPValue(score, trials.uniform());
            }
        }
        double critical = SamplingTolerance.kolmogorovCritical(KS_LEVEL);
        double sqrtT = Math.sqrt(DISCRETE_TRIALS);
        List<String> failures = new ArrayList<>();
        for (int cell = 0; cell < CELLS; cell++) {
            String name = SCHEME.cellName(0, cell);
            for (double alpha : ALPHAS) {
                int upper = SamplingTolerance.binomialUpper(DISCRETE_TRIALS, alpha, EPS);
                int lower = SamplingTolerance.binomialLower(DISCRETE_TRIALS, alpha, EPS);
                int conservativeCount = countAtMost(conservative[cell], alpha);
                int randomizedCount = countAtMost(randomized[cell], alpha);
                if (conservativeCount > upper) {
                    failures.add(name + " conservative alpha=" + alpha + ": " + conservativeCount + " > " + upper);
                }
                // The randomized p is exactly uniform, so its flag count is Binomial(T, alpha) on both sides.
                if (randomizedCount > upper || randomizedCount < lower) {
                    failures.add(name + " randomized alpha=" + alpha + ": " + randomizedCount + " outside ["
                            + lower + ", " + upper + "]");
                }
            }
            double randomizedKs = sqrtT * KolmogorovSmirnov.statisticAgainstUniform(randomized[cell]);
            if (randomizedKs >= critical) {
                failures.add(name + " randomized p not uniform: sqrt(T) D = " + randomizedKs + " >= " + critical);
            }
            // With ties the conservative p piles up on the tie values: the same test must see it.
            double conservativeKs = sqrtT * KolmogorovSmirnov.statisticAgainstUniform(conservative[cell]);
            if (conservativeKs < critical) {
                failures.add(name + " conservative p passed as uniform: sqrt(T) D = " + conservativeKs);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void tiesMakeTheConservativePValueStrictlyConservative() {
        // In the lowest cell P(score >= 1) = exp(-1 / 0.6) = 18.9% and P(score >= 2) = exp(-2 / 0.6) = 3.6%:
        // about 189 of 999 calibration scores tie with or beat a score of 1, so only scores >= 2 reach
        // p <= 0.1, and P(p <= 0.1) is near 3.6% instead of 10%.
        // Independent, unsorted draws here, so CalibrationSet.of also sorts tied random input.
        SplittableRandom random = new SplittableRandom(5L);
        double[] buffer = new double[N];
        int trialCount = 4_000;
        int flagged = 0;
        for (int t = 0; t < trialCount; t++) {
            for (int i = 0; i < N; i++) {
                buffer[i] = discreteScore(0, exponential(random));
            }
            if (CalibrationSet.of(buffer).pValue(discreteScore(0, exponential(random))) <= 0.1) {
                flagged++;
            }
        }
        int lower = SamplingTolerance.binomialLower(trialCount, 0.1, EPS);
        assertTrue(flagged < lower, flagged + " of " + trialCount + " flagged; an exact test would give >= " + lower);
        assertEquals(0.036, (double) flagged / trialCount, 0.012);
    }

    private static int countAtMost(double[] values, double alpha) {
        int count = 0;
        for (double v : values) {
            if (v <= alpha) {
                count++;
            }
        }
        return count;
    }
}
