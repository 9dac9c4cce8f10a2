package org.oddity.score.hbos;

import java.util.Arrays;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerTrainer;

/**
 * Fits an {@link HbosScorer}: equal-width histograms per feature between the feature's minimum
 * and an upper quantile, so that a few extreme training values do not stretch every bin.
 *
 * @param bins          bins per feature between the minimum and the upper quantile
 * @param upperQuantile quantile that ends the binned range; the rest goes to the overflow bin
 */
public record HbosTrainer(int bins, double upperQuantile) implements ScorerTrainer {

    /** Smallest bin range, so a feature that is constant in training still separates other values. */
    private static final float MIN_RANGE = 1e-3f;
    /** Pseudo-count per bin: keeps -log h finite for bins no training event reached. */
    private static final double PSEUDO_COUNT = 0.5;

    public HbosTrainer {
        if (bins < 2) {
            throw new IllegalArgumentException("bins must be at least 2: " + bins);
        }
        if (!(upperQuantile > 0.5 && upperQuantile <= 1.0)) {
            throw new IllegalArgumentException("upperQuantile must be in (0.5, 1]: " + upperQuantile);
        }
    }

    @Override
    public HbosScorer train(FeatureMatrix data) {
        int n = data.rowsToTrain("HBOS");
        int d = data.columns();
        int stride = bins + 2;
        float[] lo = new float[d];
        float[] inverseWidth = new float[d];
        double[] negLogDensity = new double[d * stride];
        long[] counts = new long[stride];
        for (int i = 0; i < d; i++) {
            float[] column = data.column(i);
            Arrays.sort(column);
            lo[i] = column[0];
            float hi = column[(int) Math.min(n - 1, Math.floor(upperQuantile * (n - 1)))];
            float width = Math.max(hi - lo[i], MIN_RANGE) / bins;
            inverseWidth[i] = 1f / width;
            Arrays.fill(counts, 0);
            for (float x : column) {
                counts[HbosScorer.binOf(lo[i], inverseWidth[i], bins, x)]++;
            }
            double norm = (n + PSEUDO_COUNT * stride) * width;
            for (int b = 0; b < stride; b++) {
                negLogDensity[i * stride + b] = -Math.log((counts[b] + PSEUDO_COUNT) / norm);
            }
        }
        return new HbosScorer(lo, inverseWidth, bins, negLogDensity);
    }
}
