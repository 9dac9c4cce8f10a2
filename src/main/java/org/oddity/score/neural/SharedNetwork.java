package org.oddity.score.neural;

/**
 * A network that stream threads share, each running it in buffers of its own.
 *
 * <p>The buffers are found through a {@link ThreadLocal}, read once per event: a few
 * nanoseconds against the hundreds the forward pass takes, and no lock, so threads never wait
 * for each other. Buffers made per call would be an allocation per event, and one set guarded
 * by a lock would make the threads take turns.
 */
final class SharedNetwork {

    private final DenseNetwork network;
    private final ThreadLocal<Buffers> buffers;

    SharedNetwork(DenseNetwork network) {
        this.network = network;
        this.buffers = ThreadLocal.withInitial(() -> new Buffers(network.newBuffers(), network.newActiveInputs()));
    }

    DenseNetwork network() {
        return network;
    }

    /**
     * Runs the network on {@code features[offset, offset + inputs)} in the calling thread's
     * buffers; returns its outputs, which the thread's next run overwrites.
     */
    double[] run(float[] features, int offset) {
        Buffers b = buffers.get();
        double[] in = b.values()[0];
        for (int i = 0; i < in.length; i++) {
            in[i] = features[offset + i];
        }
        return network.forward(b.values(), b.active());
    }

    /** One thread's layer outputs and forward-pass scratch. */
    private record Buffers(double[][] values, ActiveInputs active) {
    }
}
