package org.oddity.evaluate;

import java.util.Arrays;

/** A growing list of doubles (scores or p-values of one group of events), without boxing. */
final class ScoreList {

    private double[] values = new double[1024];
    private int size;

    void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    /** A copy of the values, in the order they came. */
    double[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
