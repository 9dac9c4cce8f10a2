package org.oddity.eventfile;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Parses numbers written by the tools physicists export tables with (numpy, pandas, ROOT, R):
 * decimal and exponent notation, and nan/inf in any case with an optional sign. An empty cell
 * is a missing value, which pandas writes for NaN. Java's own suffixes ({@code 1.5f},
 * {@code 2d}) are refused: in a data file they mean a typo, not a float.
 */
final class NumberText {

    /** Largest magnitude below which every integer is exact in a double. */
    private static final double EXACT_INTEGER_LIMIT = 0x1p53;
    /** Significant decimal digits whose integer a double always holds exactly: 10^15 < 2^53. */
    private static final int MAX_FAST_DIGITS = 15;
    /** Largest power of ten a double holds exactly. */
    private static final int MAX_EXACT_POWER = 22;
    /** Exponent digits beyond this cannot be on the fast path anyway; stops overflow. */
    private static final int MAX_FAST_EXPONENT = 1000;
    private static final double[] POWERS_OF_TEN = new double[MAX_EXACT_POWER + 1];
    /** The 29 low significand bits a double has beyond a float's 24. */
    private static final long FLOAT_DROPPED_BITS = (1L << 29) - 1;
    private static final long FLOAT_HALF_ULP = 1L << 28;

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i <= MAX_EXACT_POWER; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private NumberText() {
    }

    /** The float {@code text} denotes, correctly rounded; NaN for an empty cell. */
    static float parseFloat(String text) {
        float fast = plainDecimal(text);
        return fast == fast ? fast : slowFloat(text);
    }

    /**
     * Clinger's fast path (W. D. Clinger, How to read floating point numbers accurately, PLDI 1990):
     * a decimal of at most 15 significant digits with a power of ten up to 22 is one exactly rounded
     * double operation. Narrowing that double to float rounds correctly too, unless it lies exactly
     * halfway between two floats, where the decimal may not. Returns NaN when the fast path does
     * not apply; the caller then takes the slow one.
     */
    private static float plainDecimal(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i++;
        }
        long mantissa = 0;
        int significant = 0;
        int scale = 0;
        boolean digits = false;
        boolean point = false;
        for (; i < n; i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                digits = true;
                if (mantissa != 0 || ch != '0') {
                    if (++significant > MAX_FAST_DIGITS) {
                        return Float.NaN;
                    }
                }
                mantissa = mantissa * 10 + (ch - '0');
                if (point) {
                    scale--;
                }
            } else if (ch == '.' && !point) {
                point = true;
            } else {
                break;
            }
        }
        if (!digits) {
            return Float.NaN;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int exponent = 0;
            boolean negativeExponent = false;
            i++;
            if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                negativeExponent = s.charAt(i) == '-';
                i++;
            }
            int start = i;
            for (; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && exponent < MAX_FAST_EXPONENT; i++) {
                exponent = exponent * 10 + (s.charAt(i) - '0');
            }
            if (i == start) {
                return Float.NaN;
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i != n || scale < -MAX_EXACT_POWER || scale > MAX_EXACT_POWER) {
            return Float.NaN;
        }
        double exact = scale >= 0 ? mantissa * POWERS_OF_TEN[scale] : mantissa / POWERS_OF_TEN[-scale];
        if (exact != 0 && (exact < Float.MIN_NORMAL || exact > Float.MAX_VALUE || isFloatMidpoint(exact))) {
            return Float.NaN;
        }
        float value = (float) exact;
        return negative ? -value : value;
    }

    /** Whether {@code d} lies exactly halfway between two adjacent normal floats. */
    private static boolean isFloatMidpoint(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return (bits & FLOAT_DROPPED_BITS) == FLOAT_HALF_ULP;
    }

    private static float slowFloat(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return Float.NaN;
        }
        char last = s.charAt(s.length() - 1);
        if ((last >= '0' && last <= '9') || last == '.') {
            try {
                return Float.parseFloat(s);
            } catch (NumberFormatException e) {
                throw invalid("a number", text);
            }
        }
        return special(s, text);
    }

    /** Whether {@link #parseFloat} accepts {@code text}. */
    static boolean isNumber(String text) {
        try {
            parseFloat(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The integer {@code text} denotes; {@code 12.0} is accepted, as tables with missing values write integers so. */
    static long parseLong(String text) {
        String s = text.strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return integral(Double.parseDouble(s), text);
            } catch (NumberFormatException notDecimal) {
                throw invalid("an integer", text);
            }
        }
    }

    /** {@code value} as a long if it is a whole number that a double holds exactly. */
    static long integral(double value, Object shown) {
        if (value != Math.rint(value) || Math.abs(value) >= EXACT_INTEGER_LIMIT) {
            throw invalid("an integer", shown);
        }
        return (long) value;
    }

    /** Nanoseconds in {@code text} seconds, exactly (a double would lose microseconds of an epoch time). */
    static long secondsToNanos(String text) {
        try {
            return nanos(new BigDecimal(text.strip()), text);
        } catch (NumberFormatException e) {
            throw invalid("a time in seconds", text);
        }
    }

    /** Nanoseconds in {@code seconds}, rounded half-even to the nanosecond. */
    static long nanos(BigDecimal seconds, Object shown) {
        try {
            return seconds.movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (ArithmeticException e) {
            throw invalid("a time in seconds within the range of nanosecond timestamps", shown);
        }
    }

    private static float special(String s, String text) {
        int start = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        String word = s.substring(start);
        if (word.equalsIgnoreCase("nan")) {
            return Float.NaN;
        }
        if (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("infinity")) {
            return s.charAt(0) == '-' ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        }
        throw invalid("a number", text);
    }

    private static NumberFormatException invalid(String what, Object shown) {
        return new NumberFormatException("'" + shown + "' is not " + what);
    }
}
