package org.oddity.score.neural;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A VAE's training loss, the negative evidence lower bound with the KL term weighted by beta:
 * (1/d) sum_j (x_j - g(z)_j)^2 + beta KL(N(mu, sigma^2) || N(0, 1)), where the encoder gives mu
 * and log sigma^2 for x and z = mu + sigma epsilon with epsilon ~ N(0, 1).
 *
 * <p>Implementation note: Kingma and Welling, "Auto-Encoding Variational Bayes" (ICLR 2014):
 * the reparameterisation z = mu + sigma epsilon (section 2.4) makes z differentiable in mu and
 * sigma, and the Gaussian KL divergence has the closed form
 * -1/2 sum_i (1 + log sigma_i^2 - mu_i^2 - sigma_i^2) (appendix B). The squared error stands for
 * a Gaussian decoder's log-likelihood, whose variance beta stands for: beta sets the balance
 * between reconstruction and a compact latent space, as in Higgins et al.'s beta-VAE (ICLR 2017).
 */
final class VaeLoss implements Objective {

    /**
     * Bound on |log sigma^2|, where the loss is flat: sigma stays within [0.0067, 148], so an
     * input far outside the bulk (a standardized feature that is almost always zero can reach
     * hundreds) cannot make exp(log sigma^2) swamp the loss and the Adam moments of every other
     * example.
     */
    static final double MAX_LOG_VARIANCE = 10.0;

    private final DenseNetwork encoder;
    private final DenseNetwork decoder;
    private final int latent;
    private final double beta;
    private final SplittableRandom random;
    private final double[][] encoderValues;
    private final double[][] encoderDeltas;
    private final double[][] decoderValues;
    private final double[][] decoderDeltas;
    private final ActiveInputs encoderActive;
    private final ActiveInputs decoderActive;
    private final double[] epsilon;
    private final double[] sigma;
    private final boolean[] clamped;

    /**
     * @param encoder features to 2 * latent outputs: the means, then the log-variances
     * @param decoder latent to features
     * @param beta    weight of the KL term
     * @param random  draws epsilon
     */
    VaeLoss(DenseNetwork encoder, DenseNetwork decoder, double beta, SplittableRandom random) {
        if (encoder.outputs() != 2 * decoder.inputs() || decoder.outputs() != encoder.inputs()) {
            throw new IllegalArgumentException("a VAE encoder of " + encoder.inputs() + " features to "
                    + encoder.outputs() + " outputs needs a decoder from " + encoder.outputs() / 2 + " to "
                    + encoder.inputs() + ", not " + decoder.inputs() + " to " + decoder.outputs());
        }
        this.encoder = encoder;
        this.decoder = decoder;
        this.latent = decoder.inputs();
        this.beta = beta;
        this.random = random;
        this.encoderValues = encoder.newBuffers();
        this.encoderDeltas = encoder.newBuffers();
        this.decoderValues = decoder.newBuffers();
        this.decoderDeltas = decoder.newBuffers();
        this.encoderActive = encoder.newActiveInputs();
        this.decoderActive = decoder.newActiveInputs();
        this.epsilon = new double[latent];
        this.sigma = new double[latent];
        this.clamped = new boolean[latent];
    }

    @Override
    public List<DenseNetwork> networks() {
        return List.of(encoder, decoder);
    }

    @Override
    public double accumulate(double[] x, double[][] gradients) {
        System.arraycopy(x, 0, encoderValues[0], 0, x.length);
        double[] code = encoder.forward(encoderValues, encoderActive);
        double[] z = decoderValues[0];
        double kl = 0.0;
        for (int i = 0; i < latent; i++) {
            double mu = code[i];
            double logVariance = Math.min(Math.max(code[latent + i], -MAX_LOG_VARIANCE), MAX_LOG_VARIANCE);
            clamped[i] = logVariance != code[latent + i];
            sigma[i] = Math.exp(0.5 * logVariance);
            epsilon[i] = random.nextGaussian();
            z[i] = mu + sigma[i] * epsilon[i];
            kl += 0.5 * (mu * mu + sigma[i] * sigma[i] - 1.0 - logVariance);
        }
        double[] y = decoder.forward(decoderValues, decoderActive);
        double squares = ReconstructionLoss.meanSquaredError(y, x, decoderDeltas[decoderDeltas.length - 1]);
        decoder.backward(decoderValues, decoderDeltas, gradients[1], true);
        double[] dz = decoderDeltas[0];
        double[] codeDelta = encoderDeltas[encoderDeltas.length - 1];
        for (int i = 0; i < latent; i++) {
            // dz/dmu = 1 and dz/dlog(sigma^2) = sigma epsilon / 2; the KL adds mu and (sigma^2 - 1) / 2.
            codeDelta[i] = dz[i] + beta * code[i];
            codeDelta[latent + i] = clamped[i] ? 0.0
                    : 0.5 * (dz[i] * sigma[i] * epsilon[i] + beta * (sigma[i] * sigma[i] - 1.0));
        }
        encoder.backward(encoderValues, encoderDeltas, gradients[0], false);
        return squares + beta * kl;
    }
}
