package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The dense network: the forward pass is W x + b with ReLU where asked (checked by hand and
 * against a plain triple loop), backpropagation matches finite differences for the autoencoder
 * and VAE losses, initialisation follows He and Glorot, and bad shapes or parameters are refused.
 */
class DenseNetworkTest {

    private static final Activation[] RELU_LINEAR = {Activation.RELU, Activation.LINEAR};

    private static double[] randomVector(int n, SplittableRandom random) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    @Test
    void forwardPassOfATinyNetworkByHand() {
        // Layer 0: rows per input [1, 0.5, -1] and [-2, 1, -1], b = [0.25, 0, 0.5]; ReLU.
        // Layer 1: rows [2], [1], [-1], b = [-1]; linear.
        double[] parameters = {1, 0.5, -1, -2, 1, -1, 0.25, 0, 0.5, 2, 1, -1, -1};
        DenseNetwork network = DenseNetwork.of(new int[] {2, 3, 1}, RELU_LINEAR, parameters);
        double[][] values = network.newBuffers();
        values[0][0] = 3;
        values[0][1] = 1;
        // Hidden: relu(3 - 2 + 0.25) = 1.25, relu(1.5 + 1) = 2.5, relu(-3 - 1 + 0.5) = 0.
        double[] out = network.forward(values, network.newActiveInputs());
        assertArrayEquals(new double[] {1.25, 2.5, 0}, values[1]);
        assertArrayEquals(new double[] {2 * 1.25 + 2.5 - 1}, out);
        assertEquals(13, network.parameters().length);
        assertEquals(1 * 3 + 2, network.weightIndex(0, 1, 2));
        assertEquals(6, network.biasIndex(0, 0));
        assertEquals(9 + 2, network.weightIndex(1, 2, 0));
    }

    @Test
    void forwardPassMatchesAPlainLoopOverEveryWidth() {
        // Widths below, at and past the eight-output blocks, with a remainder.
        DenseNetwork network = DenseNetwork.initialised(new int[] {11, 19, 8, 3, 10},
                new Activation[] {Activation.RELU, Activation.LINEAR, Activation.RELU, Activation.LINEAR},
                new SplittableRandom(1));
        SplittableRandom random = new SplittableRandom(2);
        double[] p = network.parameters();
        for (int k = 0; k < p.length; k++) {
            p[k] += 0.1 * random.nextGaussian();
        }
        double[][] values = network.newBuffers();
        for (int trial = 0; trial < 20; trial++) {
            values[0] = randomVector(11, random);
            double[] expected = values[0].clone();
            for (int l = 0; l < network.layers(); l++) {
                double[] next = new double[network.size(l + 1)];
                for (int j = 0; j < next.length; j++) {
                    double sum = p[network.biasIndex(l, j)];
                    for (int i = 0; i < expected.length; i++) {
                        sum += p[network.weightIndex(l, i, j)] * expected[i];
                    }
                    next[j] = network.activations()[l] == Activation.RELU ? Math.max(sum, 0) : sum;
                }
                expected = next;
            }
            double[] actual = network.forward(values, network.newActiveInputs());
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], actual[j], 1e-12 * (1 + Math.abs(expected[j])), "output " + j);
            }
        }
    }

    @Test
    void reconstructionGradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(3);
        DenseNetwork network = DenseNetwork.initialised(10, new int[] {9, 3, 9}, 10, random);
        for (int trial = 0; trial < 3; trial++) {
            double[] x = randomVector(10, random);
            int checked = GradientCheck.assertMatches(() -> new ReconstructionLoss(network), x);
            // 10-9-3-9-10 has 265 parameters; those behind a ReLU that is off for this x have no gradient.
            assertTrue(checked > 30, checked + " non-zero derivatives");
        }
    }

    @Test
    void vaeGradientMatchesFiniteDifferencesWithTheSameNoise() {
        SplittableRandom random = new SplittableRandom(4);
        DenseNetwork encoder = DenseNetwork.initialised(6, new int[] {9}, 4, random);
        DenseNetwork decoder = DenseNetwork.initialised(2, new int[] {9}, 6, random);
        for (double beta : new double[] {0.01, 1.0}) {
            double[] x = randomVector(6, random);
            int checked = GradientCheck.assertMatches(
                    () -> new VaeLoss(encoder, decoder, beta, new SplittableRandom(5)), x);
            assertTrue(checked > 60, checked + " non-zero derivatives");
        }
    }

    @Test
    void vaeLossIsReconstructionPlusBetaTimesTheGaussianKl() {
        // Encoder 1 -> (mu, log sigma^2) = (0.5 x + 0.1, 0.2) and decoder z -> 2z, both linear.
        DenseNetwork encoder = DenseNetwork.of(new int[] {1, 2}, new Activation[] {Activation.LINEAR},
                new double[] {0.5, 0, 0.1, 0.2});
        DenseNetwork decoder = DenseNetwork.of(new int[] {1, 1}, new Activation[] {Activation.LINEAR},
                new double[] {2, 0});
        double epsilon = new SplittableRandom(6).nextGaussian();
        double mu = 0.5 * 3 + 0.1;
        double sigma = Math.exp(0.1);
        double z = mu + sigma * epsilon;
        double kl = 0.5 * (mu * mu + sigma * sigma - 1 - 0.2);
        double beta = 0.3;
        double expected = (2 * z - 3) * (2 * z - 3) + beta * kl;
        VaeLoss loss = new VaeLoss(encoder, decoder, beta, new SplittableRandom(6));
        assertEquals(expected, loss.accumulate(new double[] {3}, new double[][] {new double[4], new double[2]}), 1e-12);
    }

    @Test
    void initialisationFollowsHeForReluAndGlorotForLinearLayers() {
        DenseNetwork network = DenseNetwork.initialised(400, new int[] {300}, 200, new SplittableRandom(7));
        double[] p = network.parameters();
        double sumSquares = 0;
        for (int j = 0; j < 300; j++) {
            for (int i = 0; i < 400; i++) {
                sumSquares += p[network.weightIndex(0, i, j)] * p[network.weightIndex(0, i, j)];
            }
            assertEquals(0.0, p[network.biasIndex(0, j)]);
        }
        // 120,000 N(0, 2/400) weights: the sample variance is within 1% (about 2.5 standard errors).
        assertEquals(2.0 / 400, sumSquares / 120_000, 0.01 * 2.0 / 400);
        double limit = Math.sqrt(6.0 / 500);
        double max = 0;
        sumSquares = 0;
        for (int j = 0; j < 200; j++) {
            for (int i = 0; i < 300; i++) {
                double w = p[network.weightIndex(1, i, j)];
                max = Math.max(max, Math.abs(w));
                sumSquares += w * w;
            }
            assertEquals(0.0, p[network.biasIndex(1, j)]);
        }
        assertTrue(max < limit && max > 0.99 * limit, "max " + max + " against the bound " + limit);
        // U(-a, a) has variance a^2 / 3 = 2 / (fan-in + fan-out).
        assertEquals(2.0 / 500, sumSquares / 60_000, 0.015 * 2.0 / 500);
        assertArrayEquals(new Activation[] {Activation.RELU, Activation.LINEAR}, network.activations());
        assertArrayEquals(p, DenseNetwork.initialised(400, new int[] {300}, 200, new SplittableRandom(7)).parameters());
        assertFalse(Arrays.equals(p, DenseNetwork.initialised(400, new int[] {300}, 200, new SplittableRandom(8))
                .parameters()));
    }

    @Test
    void firstOutputsAreTheSameOutputsOfTheNarrowerNetwork() {
        DenseNetwork network = DenseNetwork.initialised(7, new int[] {12, 5}, 16, new SplittableRandom(9));
        DenseNetwork means = network.withFirstOutputs(8);
        assertArrayEquals(new int[] {7, 12, 5, 8}, means.sizes());
        SplittableRandom random = new SplittableRandom(10);
        double[][] wide = network.newBuffers();
        double[][] narrow = means.newBuffers();
        for (int trial = 0; trial < 10; trial++) {
            wide[0] = randomVector(7, random);
            narrow[0] = wide[0].clone();
            assertArrayEquals(Arrays.copyOf(network.forward(wide, network.newActiveInputs()), 8),
                    means.forward(narrow, means.newActiveInputs()));
        }
        assertThrows(IllegalArgumentException.class, () -> network.withFirstOutputs(17));
    }

    @Test
    void badShapesAndNonFiniteParametersAreRefusedNamingThem() {
        int[] sizes = {2, 3, 1};
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.of(sizes, RELU_LINEAR, new double[12]));
        assertEquals("a 2-3-1 network has 13 parameters, not 12", count.getMessage());
        double[] parameters = new double[13];
        parameters[5] = Double.NaN;
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.of(sizes, RELU_LINEAR, parameters));
        assertEquals("layer 0 weight from input 1 to output 2 is NaN", nan.getMessage());
        parameters[5] = 0;
        parameters[12] = Double.POSITIVE_INFINITY;
        IllegalArgumentException infinite = assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.of(sizes, RELU_LINEAR, parameters));
        assertEquals("layer 1 bias of output 0 is Infinity", infinite.getMessage());
        IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.of(new int[] {2, 0, 1}, RELU_LINEAR, new double[0]));
        assertEquals("layer width 1 is 0, expected 1 to 4096", width.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DenseNetwork.of(new int[] {2, 1}, RELU_LINEAR, new double[3]));
    }
}
