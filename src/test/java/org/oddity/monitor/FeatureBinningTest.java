package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.oddity.score.FeatureMatrix;

/** The slot layout (zeros, underflow, quantile bins, overflow and NaN) and the quantile fit. */
class FeatureBinningTest {

    private final FeatureBinning binning = new FeatureBinning(List.of("pt", "eta"),
            List.of(new float[] {1f, 2f, 4f}, new float[] {}));

    @Test
    void slotsSeparateZerosUnderflowBinsOverflowAndNaN() {
        assertEquals(5, binning.slots(0));
        assertEquals(2, binning.slots(1));
        assertEquals(7, binning.totalSlots());
        assertEquals(5, binning.slotStart(1));
        assertEquals(0, binning.slotOf(0, 0f));
        assertEquals(0, binning.slotOf(0, -0f));
        assertEquals(1, binning.slotOf(0, 0.5f));
        assertEquals(1, binning.slotOf(0, -3f));
        assertEquals(2, binning.slotOf(0, 1f));
        assertEquals(2, binning.slotOf(0, 1.99f));
        assertEquals(3, binning.slotOf(0, 2f));
        assertEquals(4, binning.slotOf(0, 4f));
        assertEquals(4, binning.slotOf(0, Float.POSITIVE_INFINITY));
        assertEquals(4, binning.slotOf(0, Float.NaN));
        assertEquals(1, binning.slotOf(0, Float.NEGATIVE_INFINITY));
        // A feature without edges has a zero slot and one slot for everything else.
        assertEquals(0, binning.slotOf(1, 0f));
        assertEquals(1, binning.slotOf(1, 2.5f));
        assertEquals(1, binning.slotOf(1, Float.NaN));
    }

    @Test
    void everyValueFallsInTheSlotCountingTheEdgesAtOrBelowIt() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(17L);
        for (int trial = 0; trial < 200; trial++) {
            float[] edges = new float[random.nextInt(0, 40)];
            float at = -5f;
            for (int i = 0; i < edges.length; i++) {
                at += 0.01f + (float) random.nextDouble();
                edges[i] = at;
            }
            FeatureBinning b = new FeatureBinning(List.of("x"), List.of(edges));
            for (int i = 0; i < 200; i++) {
                // Half the values exactly on an edge, where the comparison must be "at or below".
                float x = edges.length > 0 && random.nextBoolean() ? edges[random.nextInt(edges.length)]
                        : (float) (random.nextDouble() * 50 - 10);
                int atOrBelow = 0;
                for (float e : edges) {
                    atOrBelow += e <= x ? 1 : 0;
                }
                assertEquals(x == 0f ? 0 : 1 + atOrBelow, b.slotOf(0, x), "x = " + x + " edges " + edges.length);
            }
            assertEquals(edges.length + 1, b.slotOf(0, Float.NaN), "NaN joins the overflow slot");
        }
    }

    @Test
    void rangeLabelsNameTheEdges() {
        assertEquals("0", binning.rangeLabel(0, 0, 0));
        assertEquals("[-inf, 1.000)", binning.rangeLabel(0, 1, 1));
        assertEquals("[1.000, 4.000)", binning.rangeLabel(0, 2, 3));
        assertEquals("[4.000, +inf)", binning.rangeLabel(0, 4, 4));
        assertEquals("0 or [-inf, 2.000)", binning.rangeLabel(0, 0, 2));
        assertEquals("0 or [-inf, +inf)", binning.rangeLabel(1, 0, 1));
    }

    @Test
    void quantileFitPutsEqualSharesOfTheNonzeroValuesInEachBin() {
        // 1000 values 1..1000 and 500 exact zeros: edges at the 0, 0.1, ..., 0.9 quantiles and above the maximum.
        FeatureMatrix sample = new FeatureMatrix(1);
        for (int i = 1; i <= 1000; i++) {
            sample.add(new float[] {i});
            if (i % 2 == 0) {
                sample.add(new float[] {0f});
            }
        }
        FeatureBinning fit = FeatureBinning.fit(List.of("x"), sample, 10);
        float[] edges = fit.edges(0);
        assertEquals(11, edges.length);
        assertArrayEquals(new float[] {1, 100, 200, 300, 400, 500, 600, 700, 800, 900, Math.nextUp(1000f)}, edges);
        long[] counts = new long[fit.slots(0)];
        for (int r = 0; r < sample.rows(); r++) {
            counts[fit.slotOf(0, sample.get(r, 0))]++;
        }
        assertArrayEquals(new long[] {500, 0, 99, 100, 100, 100, 100, 100, 100, 100, 100, 101, 0}, counts);
    }

    @Test
    void tiedQuantilesMergeAndAnAllZeroFeatureKeepsTwoSlots() {
        FeatureMatrix sample = new FeatureMatrix(2);
        for (int i = 0; i < 100; i++) {
            sample.add(new float[] {i % 3, 0f});
        }
        FeatureBinning fit = FeatureBinning.fit(List.of("jets", "empty"), sample, 20);
        assertArrayEquals(new float[] {1f, 2f, Math.nextUp(2f)}, fit.edges(0));
        assertEquals(0, fit.edges(1).length);
        assertEquals(2, fit.slots(1));
    }

    @Test
    void equalBinningsAreEqualAndBadEdgesAreRefused() {
        assertEquals(binning, new FeatureBinning(List.of("pt", "eta"), List.of(new float[] {1f, 2f, 4f}, new float[] {})));
        assertEquals(binning.hashCode(),
                new FeatureBinning(List.of("pt", "eta"), List.of(new float[] {1f, 2f, 4f}, new float[] {})).hashCode());
        assertNotEquals(binning, new FeatureBinning(List.of("pt", "eta"), List.of(new float[] {1f, 2f, 5f}, new float[] {})));
        assertThrows(IllegalArgumentException.class, () -> new FeatureBinning(List.of("x"), List.of(new float[] {2f, 1f})));
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureBinning(List.of("x"), List.of(new float[] {Float.NaN})));
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureBinning(List.of("x", "x"), List.of(new float[0], new float[0])));
    }
}
