package org.oddity.score.neural;

/**
 * Score s(x) = (1/d) sum_j (x_j - g(x)_j)^2, the mean squared error of a dense autoencoder g's
 * reconstruction: the network learnt to reproduce background through a narrow layer, so what it
 * cannot reproduce is unlike the background.
 *
 * <p>Implementation note: the reconstruction-error score of the dense autoencoders for the CMS
 * Level-1 trigger in Govorkova et al., "Autoencoders on field-programmable gate arrays for
 * real-time, unsupervised new physics detection at 40 MHz at the Large Hadron Collider"
 * (Nature Machine Intelligence, 2022). The pure-Java forward pass is about 2 d h + 2 h b
 * multiply-adds for hidden width h and bottleneck b; see {@link DenseNetwork} for the layout.
 * Each feature's squared error is its contribution, so the contributions sum to d times the score.
 */
public final class AutoencoderScorer extends NetworkScorer {

    /** Family name in bundle manifests. */
    public static final String FAMILY = "autoencoder";

    /** @throws IllegalArgumentException if the network does not output one value per input */
    AutoencoderScorer(DenseNetwork network) {
        super(FAMILY, network);
        if (network.outputs() != network.inputs()) {
            throw new IllegalArgumentException("an autoencoder of " + network.inputs() + " inputs must output "
                    + network.inputs() + " values, not " + network.outputs());
        }
    }

    @Override
    double score(float[] features, int offset, double[] reconstruction) {
        double sum = 0.0;
        for (int j = 0; j < reconstruction.length; j++) {
            double error = features[offset + j] - reconstruction[j];
            sum += error * error;
        }
        return sum / reconstruction.length;
    }

    @Override
    public boolean explainsFeatures() {
        return true;
    }

    /** Each feature's squared reconstruction error (x_j - g(x)_j)^2; the score is their mean. */
    @Override
    public void contributions(float[] features, double[] out) {
        double[] reconstruction = outputs(features);
        for (int j = 0; j < reconstruction.length; j++) {
            double error = features[j] - reconstruction[j];
            out[j] = error * error;
        }
    }
}
