package org.oddity.score.neural;

/**
 * The Adam optimiser for one flat parameter array: per-parameter steps scaled by running
 * estimates of the gradient's first and second moments.
 *
 * <p>Implementation note: Kingma and Ba, "Adam: A Method for Stochastic Optimization" (ICLR
 * 2015), Algorithm 1, with the paper's defaults beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 and
 * its bias-corrected moments m / (1 - beta1^t) and v / (1 - beta2^t).
 */
final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final double learningRate;
    private final double[] m;
    private final double[] v;
    private int t;

    Adam(int parameters, double learningRate) {
        this.learningRate = learningRate;
        this.m = new double[parameters];
        this.v = new double[parameters];
    }

    /**
     * One update of {@code parameters} by the gradient {@code scale * gradient}; then zeroes
     * {@code gradient}, so the next mini-batch accumulates into it from scratch.
     */
    void step(double[] parameters, double[] gradient, double scale) {
        t++;
        double firstCorrection = 1.0 / (1.0 - Math.pow(BETA1, t));
        double secondCorrection = 1.0 / (1.0 - Math.pow(BETA2, t));
        for (int k = 0; k < parameters.length; k++) {
            double g = scale * gradient[k];
            gradient[k] = 0.0;
            m[k] = BETA1 * m[k] + (1.0 - BETA1) * g;
            v[k] = BETA2 * v[k] + (1.0 - BETA2) * g * g;
            parameters[k] -= learningRate * (m[k] * firstCorrection) / (Math.sqrt(v[k] * secondCorrection) + EPSILON);
        }
    }
}
