package org.oddity.score.neural;

/**
 * Scratch for one forward pass at a time: a layer's non-zero inputs, packed, and where each one's
 * row of weights starts, so the multiply-add loop reads both sequentially.
 */
final class ActiveInputs {

    final double[] values;
    final int[] rows;

    /** Room for {@code width} inputs. */
    ActiveInputs(int width) {
        this.values = new double[width];
        this.rows = new int[width];
    }
}
