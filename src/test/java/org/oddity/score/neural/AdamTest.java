package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Adam: a first step of about the learning rate against the gradient's sign, and convergence on a quadratic. */
class AdamTest {

    @Test
    void firstStepMovesEveryParameterByTheLearningRateAgainstItsGradient() {
        // After one step the bias-corrected moments are g and g^2, so the step is lr g / (|g| + eps).
        Adam adam = new Adam(3, 0.01);
        double[] p = {1, 1, 1};
        double[] g = {4, -0.001, 0};
        adam.step(p, g, 0.5);
        assertEquals(1 - 0.01, p[0], 1e-9);
        // eps = 1e-8 next to |g| = 5e-4 shortens this step by 2e-7.
        assertEquals(1 + 0.01, p[1], 1e-6);
        assertEquals(1, p[2]);
        assertArrayEquals(new double[3], g, "the gradient is consumed");
    }

    @Test
    void minimisesAQuadratic() {
        double[] target = {3, -2, 0.5, 100};
        double[] p = new double[4];
        double[] g = new double[4];
        Adam adam = new Adam(4, 0.1);
        for (int t = 0; t < 5_000; t++) {
            for (int k = 0; k < 4; k++) {
                g[k] = 2 * (p[k] - target[k]) * (k + 1);
            }
            adam.step(p, g, 1.0);
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(target[k], p[k], 1e-3, "parameter " + k);
        }
        // Steps are about the learning rate at most: 5000 steps of 0.1 cover a distance of 100 only just.
        assertEquals(100, p[3], 1.0);
    }
}
