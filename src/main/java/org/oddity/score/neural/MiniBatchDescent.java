package org.oddity.score.neural;

import java.util.List;
import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;

/**
 * Mini-batch training with {@link Adam}: each epoch visits the rows in a fresh random order, and
 * every mini-batch's mean gradient updates every network of the objective once.
 */
final class MiniBatchDescent {

    private final String family;
    private final TrainingSchedule schedule;
    private final SplittableRandom random;

    /**
     * @param family   the scorer family trained, for messages
     * @param schedule epochs, batch size and learning rate
     * @param random   draws the row orders
     */
    MiniBatchDescent(String family, TrainingSchedule schedule, SplittableRandom random) {
        this.family = family;
        this.schedule = schedule;
        this.random = random;
    }

    /**
     * Lowers {@code objective} on the rows of {@code data}, changing its networks' parameters in
     * place; returns the mean loss of each epoch.
     *
     * @throws IllegalArgumentException for no rows, or if the loss stops being finite
     */
    double[] train(FeatureMatrix data, Objective objective) {
        int n = data.rowsToTrain(family);
        List<DenseNetwork> networks = objective.networks();
        double[][] gradients = new double[networks.size()][];
        Adam[] optimisers = new Adam[networks.size()];
        for (int k = 0; k < gradients.length; k++) {
            gradients[k] = new double[networks.get(k).parameters().length];
            optimisers[k] = new Adam(gradients[k].length, schedule.learningRate());
        }
        int[] order = new int[n];
        for (int r = 0; r < n; r++) {
            order[r] = r;
        }
        float[] row = new float[data.columns()];
        double[] x = new double[data.columns()];
        double[] losses = new double[schedule.epochs()];
        for (int epoch = 0; epoch < losses.length; epoch++) {
            shuffle(order);
            double total = 0.0;
            for (int first = 0; first < n; first += schedule.batch()) {
                int end = Math.min(n, first + schedule.batch());
                for (int r = first; r < end; r++) {
                    data.copyRow(order[r], row);
                    for (int i = 0; i < row.length; i++) {
                        x[i] = row[i];
                    }
                    total += objective.accumulate(x, gradients);
                }
                for (int k = 0; k < optimisers.length; k++) {
                    optimisers[k].step(networks.get(k).parameters(), gradients[k], 1.0 / (end - first));
                }
            }
            losses[epoch] = total / n;
            if (!Double.isFinite(losses[epoch])) {
                throw new IllegalArgumentException(family + " training diverged in epoch " + (epoch + 1)
                        + " (mean loss " + losses[epoch] + "); a smaller learning-rate may help");
            }
        }
        return losses;
    }

    /** Fisher-Yates: every order equally likely. */
    private void shuffle(int[] order) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
