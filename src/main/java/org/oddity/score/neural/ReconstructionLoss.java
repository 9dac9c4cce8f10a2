package org.oddity.score.neural;

import java.util.List;

/** An autoencoder's training loss: the mean squared error (1/d) sum_j (x_j - g(x)_j)^2, the score itself. */
final class ReconstructionLoss implements Objective {

    private final DenseNetwork network;
    private final double[][] values;
    private final double[][] deltas;
    private final ActiveInputs active;

    ReconstructionLoss(DenseNetwork network) {
        this.network = network;
        this.values = network.newBuffers();
        this.deltas = network.newBuffers();
        this.active = network.newActiveInputs();
    }

    @Override
    public List<DenseNetwork> networks() {
        return List.of(network);
    }

    @Override
    public double accumulate(double[] x, double[][] gradients) {
        System.arraycopy(x, 0, values[0], 0, x.length);
        double[] y = network.forward(values, active);
        double loss = meanSquaredError(y, x, deltas[deltas.length - 1]);
        network.backward(values, deltas, gradients[0], false);
        return loss;
    }

    /** (1/d) sum_j (y_j - x_j)^2; writes its gradient with respect to y into {@code delta}. */
    static double meanSquaredError(double[] y, double[] x, double[] delta) {
        double sum = 0.0;
        for (int j = 0; j < y.length; j++) {
            double error = y[j] - x[j];
            sum += error * error;
            delta[j] = 2.0 * error / y.length;
        }
        return sum / y.length;
    }
}
