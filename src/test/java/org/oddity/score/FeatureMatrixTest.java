package org.oddity.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The training matrix keeps rows in order across growth, copies its input, and refuses ragged rows. */
class FeatureMatrixTest {

    @Test
    void rowsSurviveGrowthInOrder() {
        FeatureMatrix m = new FeatureMatrix(3);
        float[] row = new float[3];
        for (int r = 0; r < 5_000; r++) {
            row[0] = r;
            row[1] = -r;
            row[2] = r * 0.5f;
            m.add(row);
        }
        // The caller's array is copied: changing it afterwards does not touch stored rows.
        row[0] = 1e9f;
        assertEquals(5_000, m.rows());
        assertEquals(3, m.columns());
        assertEquals(4_999f, m.get(4_999, 0));
        assertEquals(-1_234f, m.get(1_234, 1));
        float[] out = new float[3];
        m.copyRow(2_048, out);
        assertArrayEquals(new float[] {2_048f, -2_048f, 1_024f}, out);
        float[] column = m.column(2);
        assertEquals(5_000, column.length);
        assertEquals(2_499.5f, column[4_999]);
        column[0] = 42f;
        assertEquals(0f, m.get(0, 2));
    }

    @Test
    void raggedRowsAndEmptyLayoutsAreRefused() {
        FeatureMatrix m = new FeatureMatrix(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add(new float[3]));
        assertEquals("row has 3 values, expected 2", e.getMessage());
        assertEquals(0, m.rows());
        assertEquals(0, m.column(1).length);
        assertThrows(IllegalArgumentException.class, () -> new FeatureMatrix(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FeatureMatrix(-1)).getMessage()
                .contains("-1"));
    }
}
