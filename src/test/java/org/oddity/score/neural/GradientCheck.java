package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;

/**
 * Compares an objective's backpropagated gradient with central finite differences,
 * (L(p + h) - L(p - h)) / 2h, parameter by parameter.
 */
final class GradientCheck {

    private static final double STEP = 1e-5;

    private GradientCheck() {
    }

    /**
     * Asserts that every parameter's backpropagated derivative on {@code x} is within
     * {@code 1e-7 + 1e-5 |derivative|} of the finite difference; returns how many parameters
     * had a non-zero derivative, so a check that compared only zeros cannot pass unseen.
     *
     * @param objective makes the objective afresh, so a noisy one draws the same noise each time
     */
    static int assertMatches(Supplier<Objective> objective, double[] x) {
        Objective o = objective.get();
        List<DenseNetwork> networks = o.networks();
        double[][] analytic = new double[networks.size()][];
        for (int k = 0; k < analytic.length; k++) {
            analytic[k] = new double[networks.get(k).parameters().length];
        }
        o.accumulate(x, analytic);
        int nonZero = 0;
        for (int k = 0; k < analytic.length; k++) {
            double[] p = networks.get(k).parameters();
            for (int q = 0; q < p.length; q++) {
                double saved = p[q];
                p[q] = saved + STEP;
                double up = loss(objective, x);
                p[q] = saved - STEP;
                double down = loss(objective, x);
                p[q] = saved;
                double numeric = (up - down) / (2 * STEP);
                double a = analytic[k][q];
                assertTrue(Math.abs(a - numeric) <= 1e-7 + 1e-5 * Math.abs(a),
                        "network " + k + " parameter " + q + ": backpropagation " + a + ", finite difference " + numeric);
                nonZero += a != 0 ? 1 : 0;
            }
        }
        return nonZero;
    }

    private static double loss(Supplier<Objective> objective, double[] x) {
        Objective o = objective.get();
        double[][] ignored = new double[o.networks().size()][];
        for (int k = 0; k < ignored.length; k++) {
            ignored[k] = new double[o.networks().get(k).parameters().length];
        }
        return o.accumulate(x, ignored);
    }
}
