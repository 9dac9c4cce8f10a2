package org.oddity.score.neural;

import org.oddity.score.Scorer;

/** A scorer whose score is a function of one forward pass of a {@link SharedNetwork}. */
abstract sealed class NetworkScorer implements Scorer permits AutoencoderScorer, VaeLatentScorer {

    private final String family;
    private final SharedNetwork pass;

    NetworkScorer(String family, DenseNetwork network) {
        this.family = family;
        this.pass = new SharedNetwork(network);
    }

    /** The score of {@code features[offset, offset + featureCount())}, whose network outputs are {@code outputs}. */
    abstract double score(float[] features, int offset, double[] outputs);

    @Override
    public final String family() {
        return family;
    }

    @Override
    public final int featureCount() {
        return pass.network().inputs();
    }

    @Override
    public final double score(float[] features) {
        return score(features, 0, pass.run(features, 0));
    }

    /** Scores the rows where they lie, without the default's copy of each into a vector. */
    @Override
    public final void scoreBatch(float[] rows, int count, double[] out) {
        int d = featureCount();
        for (int r = 0, offset = 0; r < count; r++, offset += d) {
            out[r] = score(rows, offset, pass.run(rows, offset));
        }
    }

    /** The network's outputs for {@code features}, valid until this thread's next score. */
    final double[] outputs(float[] features) {
        return pass.run(features, 0);
    }

    final DenseNetwork network() {
        return pass.network();
    }
}
