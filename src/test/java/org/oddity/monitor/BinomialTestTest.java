package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** The exact upper-tail binomial p-values against sums done by hand and in exact rational arithmetic. */
class BinomialTestTest {

    @Test
    void tenFairCoinsMatchTheirCountedTails() {
        // P(X >= 8) = (45 + 10 + 1) / 1024, P(X >= 9) = 11 / 1024, P(X >= 10) = 1 / 1024.
        assertEquals(56.0 / 1024, BinomialTest.upperTail(8, 10, 0.5), 1e-15);
        assertEquals(11.0 / 1024, BinomialTest.upperTail(9, 10, 0.5), 1e-15);
        assertEquals(1.0 / 1024, BinomialTest.upperTail(10, 10, 0.5), 1e-15);
        assertEquals(1013.0 / 1024, BinomialTest.upperTail(2, 10, 0.5), 1e-15);
        assertEquals(1.0, BinomialTest.upperTail(0, 10, 0.5));
        assertEquals(0.0, BinomialTest.upperTail(11, 10, 0.5));
        // Mid-p: P(X > 8) + P(X = 8) / 2 = (11 + 45 / 2) / 1024.
        assertEquals(33.5 / 1024, BinomialTest.upperMidP(8, 10, 0.5), 1e-15);
    }

    @Test
    void flagCountsMatchExactRationalTailsIncludingTheDeepTail() {
        // x = 60 is 16 standard deviations out: 1 - CDF would be 0 in doubles, the tail is not.
        // n = 1000 events at alpha = 1/100: P(X >= x) = sum_{j >= x} C(n, j) 99^(n - j) / 100^n, exactly.
        int n = 1000;
        for (int x : new int[] {1, 5, 10, 15, 20, 30, 45, 60}) {
            double exact = exactUpperTail(x, n, 1, 100);
            double p = BinomialTest.upperTail(x, n, 0.01);
            assertEquals(exact, p, 1e-10 * exact, "P(X >= " + x + ") of Binomial(1000, 0.01)");
        }
    }

    @Test
    void aTightWorkingPointOnALargeWindowMatchesTheExactTail() {
        // 3 000 events at alpha = 1/1 000: 3 expected, 10 observed.
        double exact = exactUpperTail(10, 3_000, 1, 1_000);
        assertEquals(exact, BinomialTest.upperTail(10, 3_000, 1e-3), 1e-10 * exact);
    }

    @Test
    void degenerateRatesAndEmptyWindowsGiveLimits() {
        assertEquals(0.0, BinomialTest.upperTail(1, 100, 0.0));
        assertEquals(1.0, BinomialTest.upperTail(0, 100, 0.0));
        assertEquals(1.0, BinomialTest.upperTail(100, 100, 1.0));
        assertEquals(1.0, BinomialTest.upperTail(0, 0, 0.01));
        assertEquals(0.0, BinomialTest.upperTail(1, 0, 0.01));
        assertEquals(0.0, BinomialTest.upperTail(3, 10, Double.NaN));
    }

    /** P(X >= x) for X ~ Binomial(n, a / b) as 1 - sum_{j < x} C(n, j) a^j (b - a)^(n - j) / b^n in exact integers. */
    private static double exactUpperTail(int x, int n, int a, int b) {
        BigInteger below = BigInteger.ZERO;
        BigInteger choose = BigInteger.ONE;
        for (int j = 0; j < x; j++) {
            below = below.add(choose.multiply(BigInteger.valueOf(a).pow(j)).multiply(BigInteger.valueOf(b - a).pow(n - j)));
            choose = choose.multiply(BigInteger.valueOf(n - j)).divide(BigInteger.valueOf(j + 1));
        }
        BigInteger all = BigInteger.valueOf(b).pow(n);
        return new BigDecimal(all.subtract(below)).divide(new BigDecimal(all), MathContext.DECIMAL128).doubleValue();
    }
}
