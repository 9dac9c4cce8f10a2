package org.oddity.calibrate;

import java.util.SplittableRandom;

/** Random calibration score sets for property tests: continuous, heavily tied, or of signed zeros and infinities. */
final class RandomScoreSets {

    private RandomScoreSets() {
    }

    /** A set of fewer than {@code maxSize} scores of one of the three kinds. */
    static double[] draw(SplittableRandom random, int maxSize) {
        int n = random.nextInt(0, maxSize);
        double[] scores = new double[n];
        int kind = random.nextInt(3);
        for (int i = 0; i < n; i++) {
            scores[i] = switch (kind) {
                case 0 -> random.nextGaussian() * 3.0;
                case 1 -> random.nextInt(-2, 3);
                default -> new double[] {-0.0, 0.0, 1.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                    2.5}[random.nextInt(6)];
            };
        }
        return scores;
    }
}
