package org.oddity.score.neural;

/** The function a dense layer applies to its weighted sums; the code is how a network file stores it. */
enum Activation {

    /** y = x: output layers, and the latent means and log-variances of a VAE. */
    LINEAR(0),
    /** y = max(x, 0): hidden layers; no transcendental call, so it costs nothing next to the sums. */
    RELU(1);

    private final int code;

    Activation(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    /** The activation stored as {@code code}, or null if there is none. */
    static Activation ofCode(int code) {
        for (Activation a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        return null;
    }
}
