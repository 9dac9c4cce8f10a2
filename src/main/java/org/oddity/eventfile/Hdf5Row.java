package org.oddity.eventfile;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;

/** A row of a block read from an HDF5 table: typed cells, converted as a number or text is asked for. */
final class Hdf5Row implements TableRow {

    private Object[] columns;
    private int index;

    /** Points this row at row {@code index} of {@code block}, one array per column. */
    Hdf5Row at(Object[] block, int index) {
        this.columns = block;
        this.index = index;
        return this;
    }

    @Override
    public boolean isEmpty(int column) {
        return columns[column] instanceof String[] s && (s[index] == null || s[index].isEmpty());
    }

    @Override
    public String text(int column) {
        Object a = columns[column];
        if (a instanceof String[] s) {
            return s[index];
        }
        if (a instanceof float[] f) {
            return Float.toString(f[index]);
        }
        if (a instanceof double[] d) {
            return Double.toString(d[index]);
        }
        return String.valueOf(Array.get(a, index));
    }

    @Override
    public float floatValue(int column) {
        Object a = columns[column];
        if (a instanceof float[] f) {
            return f[index];
        }
        if (a instanceof double[] d) {
            return (float) d[index];
        }
        if (a instanceof String[] s) {
            return NumberText.parseFloat(s[index]);
        }
        return wholeNumber(a);
    }

    @Override
    public long longValue(int column) {
        Object a = columns[column];
        if (a instanceof float[] f) {
            return NumberText.integral(f[index], f[index]);
        }
        if (a instanceof double[] d) {
            return NumberText.integral(d[index], d[index]);
        }
        if (a instanceof String[] s) {
            return NumberText.parseLong(s[index]);
        }
        return wholeNumber(a);
    }

    @Override
    public long secondsAsNanos(int column) {
        Object a = columns[column];
        if (a instanceof float[] f) {
            return nanos(f[index]);
        }
        if (a instanceof double[] d) {
            return nanos(d[index]);
        }
        if (a instanceof String[] s) {
            return NumberText.secondsToNanos(s[index]);
        }
        long seconds = wholeNumber(a);
        return NumberText.nanos(BigDecimal.valueOf(seconds), seconds);
    }

    private static long nanos(double seconds) {
        if (!Double.isFinite(seconds)) {
            throw new NumberFormatException("'" + seconds + "' is not a time in seconds");
        }
        return NumberText.nanos(new BigDecimal(seconds), seconds);
    }

    private long wholeNumber(Object a) {
        if (a instanceof long[] l) {
            return l[index];
        }
        if (a instanceof int[] i) {
            return i[index];
        }
        if (a instanceof short[] s) {
            return s[index];
        }
        if (a instanceof byte[] b) {
            return b[index];
        }
        if (a instanceof BigInteger[] big) {
            // Unsigned 64-bit HDF5 integers arrive as BigInteger.
            if (big[index].bitLength() >= Long.SIZE) {
                throw new NumberFormatException(big[index] + " does not fit a signed 64-bit integer");
            }
            return big[index].longValue();
        }
        throw new NumberFormatException("'" + Array.get(a, index) + "' is not a number");
    }
}
