package org.oddity.score.neural;

/**
 * Score s(x) = sum_i mu_i(x)^2, the squared length of the latent mean that a variational
 * autoencoder's encoder gives x: the KL term pulls the background's means towards the origin, so
 * an event encoded far from it is unlike the background.
 *
 * <p>Implementation note: this is the anomaly score of AXOL1TL, the CMS Level-1 anomaly trigger
 * (CMS Collaboration, "Anomaly detection in the CMS L1 trigger"), which runs only the encoder to
 * the latent means and drops the decoder, so it fits the trigger's latency. The VAE is Kingma
 * and Welling's, "Auto-Encoding Variational Bayes" (ICLR 2014). The network held here is the
 * encoder up to the means: the log-variance outputs and the decoder are used in training only.
 */
public final class VaeLatentScorer extends NetworkScorer {

    /** Family name in bundle manifests. */
    public static final String FAMILY = "vae-latent";

    /** @param encoder maps features to the latent means */
    VaeLatentScorer(DenseNetwork encoder) {
        super(FAMILY, encoder);
    }

    @Override
    double score(float[] features, int offset, double[] means) {
        double sum = 0.0;
        for (double mu : means) {
            sum += mu * mu;
        }
        return sum;
    }
}
