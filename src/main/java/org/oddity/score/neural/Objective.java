package org.oddity.score.neural;

import java.util.List;

/** A training loss over some networks: its value on one example, and its gradient by backpropagation. */
interface Objective {

    /** The networks whose parameters the loss depends on, in the order of the gradients. */
    List<DenseNetwork> networks();

    /**
     * The loss on example {@code x}; adds its gradient with respect to network k's parameters
     * into {@code gradients[k]}. Allocates nothing: it runs once per example per epoch.
     */
    double accumulate(double[] x, double[][] gradients);
}
