package org.oddity.score;

import java.util.SplittableRandom;

/** Seeded training matrices for scorer tests. */
public final class TestMatrices {

    private TestMatrices() {
    }

    /** {@code rows} rows of {@code columns} independent standard normal features. */
    public static FeatureMatrix gaussian(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FeatureMatrix m = new FeatureMatrix(columns);
        float[] row = new float[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                row[c] = (float) random.nextGaussian();
            }
            m.add(row);
        }
        return m;
    }
}
