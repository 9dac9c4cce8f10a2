package org.oddity.monitor;

import java.util.List;
import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;

/**
 * A small stand-in for L1 features with the shapes that matter to the binning: a continuous
 * pt-like feature, a zero-padded one (exact zeros with probability 0.6, else log-normal), and a
 * multiplicity with a geometric tail whose far bins expect less than one event per window.
 * {@code shift} moves the first feature's scale by that fraction.
 */
final class BackgroundFeatures {

    static final List<String> NAMES = List.of("met_pt", "muon1_pt", "jets");

    private BackgroundFeatures() {
    }

    static void draw(SplittableRandom random, double shift, float[] out) {
        out[0] = (float) (30.0 * (1.0 + shift) * -Math.log(1.0 - random.nextDouble()));
        out[1] = random.nextDouble() < 0.6 ? 0f : (float) Math.exp(2.0 + 0.5 * random.nextGaussian());
        // P(jets = j) = 2^-(j + 1): inversion of the geometric law.
        out[2] = (float) Math.floor(-Math.log(1.0 - random.nextDouble()) / Math.log(2.0));
    }

    static FeatureMatrix sample(SplittableRandom random, int rows) {
        FeatureMatrix m = new FeatureMatrix(NAMES.size());
        float[] row = new float[NAMES.size()];
        for (int r = 0; r < rows; r++) {
            draw(random, 0.0, row);
            m.add(row);
        }
        return m;
    }
}
