package org.oddity.score;

import java.util.Arrays;

/** Training data: rows of equal-length feature vectors, stored row-major in one growable array. */
public final class FeatureMatrix {

    private final int columns;
    private float[] data;
    private int rows;

    /** An empty matrix for vectors of {@code columns} features. */
    public FeatureMatrix(int columns) {
        if (columns <= 0) {
            throw new IllegalArgumentException("columns must be positive: " + columns);
        }
        this.columns = columns;
        this.data = new float[columns * 1024];
    }

    /** Appends a copy of {@code row}, which must have {@link #columns()} values. */
    public void add(float[] row) {
        if (row.length != columns) {
            throw new IllegalArgumentException("row has " + row.length + " values, expected " + columns);
        }
        if ((rows + 1) * columns > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, (rows + 1) * columns));
        }
        System.arraycopy(row, 0, data, rows * columns, columns);
        rows++;
    }

    public int rows() {
        return rows;
    }

    /** The number of rows, which a trainer of {@code family} needs to be at least one. */
    public int rowsToTrain(String family) {
        if (rows == 0) {
            throw new IllegalArgumentException("cannot train " + family + " on zero events");
        }
        return rows;
    }

    public int columns() {
        return columns;
    }

    /** Value of feature {@code column} in row {@code row}. */
    public float get(int row, int column) {
        return data[row * columns + column];
    }

    /** Copies row {@code row} into {@code out}. */
    public void copyRow(int row, float[] out) {
        System.arraycopy(data, row * columns, out, 0, columns);
    }

    /** Overwrites row {@code row} with {@code values}. */
    public void setRow(int row, float[] values) {
        if (row < 0 || row >= rows || values.length != columns) {
            throw new IllegalArgumentException("no row " + row + " of " + columns + " values in " + rows + " rows");
        }
        System.arraycopy(values, 0, data, row * columns, columns);
    }

    /** A fresh array holding feature {@code column} of every row. */
    public float[] column(int column) {
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = data[r * columns + column];
        }
        return out;
    }
}
