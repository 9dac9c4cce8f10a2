package org.oddity.eventfile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Number cells: the fast float path agrees with the JDK bit for bit, and the accepted spellings. */
class NumberTextTest {

    private static void assertSameFloat(String text) {
        assertEquals(Float.floatToRawIntBits(Float.parseFloat(text)),
                Float.floatToRawIntBits(NumberText.parseFloat(text)), text);
    }

    @Test
    void agreesWithTheJdkOnShortestFloatsAndOnLongerDecimals() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 100_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(f)) {
                assertSameFloat(Float.toString(f));
                assertSameFloat(new BigDecimal(f).round(new MathContext(1 + random.nextInt(15)))
                        .toPlainString().replaceAll("(\\.\\d*?)0+$", "$1"));
            }
            double d = random.nextDouble() * Math.pow(10, random.nextInt(-12, 12));
            assertSameFloat(Double.toString(d));
            assertSameFloat(String.format("%.6f", d));
        }
    }

    @Test
    void agreesWithTheJdkExactlyHalfwayBetweenFloats() {
        // 1 + 2^-24 lies exactly halfway between 1 and the next float; ties go to even.
        assertSameFloat(new BigDecimal(1 + 0x1p-24).toPlainString());
        assertSameFloat("1.00000005960464477539062500000001");
        assertSameFloat("16777217");
        assertSameFloat("16777219");
        assertSameFloat("3.4028235e38");
        assertSameFloat("1e-40");
        assertSameFloat("-0.0");
        assertSameFloat("0.000123e3");
    }

    @Test
    void acceptsTheSpellingsOfExportToolsAndRefusesTypos() {
        assertEquals(Float.NaN, NumberText.parseFloat(""));
        assertEquals(Float.NaN, NumberText.parseFloat("nan"));
        assertEquals(Float.NaN, NumberText.parseFloat("-NaN"));
        assertEquals(Float.POSITIVE_INFINITY, NumberText.parseFloat("inf"));
        assertEquals(Float.NEGATIVE_INFINITY, NumberText.parseFloat("-Infinity"));
        assertEquals(2.5f, NumberText.parseFloat(" 2.5 "));
        assertEquals(150f, NumberText.parseFloat("1.5E2"));
        for (String typo : new String[] {"1.5f", "2d", "abc", "1e", ".", "-", "1.2.3", "1,5"}) {
            NumberFormatException e = assertThrows(NumberFormatException.class, () -> NumberText.parseFloat(typo));
            assertEquals("'" + typo + "' is not a number", e.getMessage());
        }
        assertEquals(12L, NumberText.parseLong("12.0"));
        assertEquals(-7L, NumberText.parseLong(" -7 "));
        assertThrows(NumberFormatException.class, () -> NumberText.parseLong("1e30"));
        assertEquals(1_700_000_000_123_456_789L, NumberText.secondsToNanos("1700000000.123456789"));
        assertEquals(1_500_000_000L, NumberText.secondsToNanos("1.5"));
        assertThrows(NumberFormatException.class, () -> NumberText.secondsToNanos("nan"));
    }
}
