package org.oddity.score.gaussian;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** k-means: k-means++ seeding and Lloyd iterations recover separated clusters, repeatably. */
class KMeansTest {

    /**
     * Three unit-variance clusters 20 standard deviations apart in 3 features: no row is nearer
     * another cluster's centre (that needs a 10-sigma excursion), so the partition is exact.
     */
    @Test
    void separatedClustersAreRecoveredExactly() {
        int n = 3_000;
        int d = 3;
        SplittableRandom random = new SplittableRandom(11);
        float[] x = new float[n * d];
        int[] truth = new int[n];
        for (int r = 0; r < n; r++) {
            truth[r] = random.nextInt(3);
            for (int i = 0; i < d; i++) {
                x[r * d + i] = (float) ((i == truth[r] ? 20.0 : 0.0) + random.nextGaussian());
            }
        }
        int[] labels = KMeans.labels(x, n, d, 3, new SplittableRandom(1));
        // Cluster numbers are arbitrary: the labels must be a relabelling of the truth.
        int[] map = {-1, -1, -1};
        for (int r = 0; r < n; r++) {
            if (map[truth[r]] < 0) {
                map[truth[r]] = labels[r];
            }
            assertEquals(map[truth[r]], labels[r], "row " + r);
        }
        assertEquals(3, Arrays.stream(map).distinct().count());
        assertArrayEquals(labels, KMeans.labels(x, n, d, 3, new SplittableRandom(1)));
    }
}
