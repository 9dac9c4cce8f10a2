package org.oddity.score.neural;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A stack of fully connected layers, y = f(W x + b), with every weight and bias in one flat
 * array of doubles: the forward pass that scores events and the backward pass that trains them.
 *
 * <p>Layer l maps {@code size(l)} inputs to {@code size(l + 1)} outputs. Its weights are stored
 * row-major, one row per input, W[i][j] at {@code weightIndex(l, i, j)}, followed by its
 * biases. The forward pass computes eight outputs at a time, adding x_i times eight neighbouring
 * weights of row i into eight accumulators: eight independent multiply-add chains hide the
 * latency of each fused multiply-add (one dot product at a time would wait about four cycles per
 * term), and the eight weights are one sequential run of memory. Only the non-zero inputs are
 * visited, packed first: after a ReLU about half are zero. C2 does not vectorise these short
 * loops usefully (an input-major axpy over the outputs, which it does vectorise, measured no
 * faster), so the pass runs at about two scalar multiply-adds per cycle.
 * {@link Math#fma} is exactly specified, so a score is the same bit for bit in the interpreter
 * and in compiled code.
 *
 * <p>The networks a scorer holds are never changed; a trainer changes its own through
 * {@link #parameters()} and hands scorers a checked {@link #copy()}.
 */
final class DenseNetwork {

    /** Most layers and widest layer a network may have, so a damaged file cannot ask for huge arrays. */
    static final int MAX_LAYERS = 16;
    static final int MAX_WIDTH = 4096;

    private final int[] sizes;
    private final Activation[] activations;
    /** Start of each layer's weights in {@link #parameters}; its biases follow the weights. */
    private final int[] offsets;
    private final double[] parameters;

    private DenseNetwork(int[] sizes, Activation[] activations, double[] parameters) {
        this.sizes = sizes;
        this.activations = activations;
        this.offsets = new int[activations.length];
        for (int l = 1; l < offsets.length; l++) {
            offsets[l] = offsets[l - 1] + (sizes[l - 1] + 1) * sizes[l];
        }
        this.parameters = parameters;
    }

    /**
     * A network of layer widths {@code sizes} (inputs first) and one activation per layer,
     * holding a copy of {@code parameters}.
     *
     * @throws IllegalArgumentException naming the layer and parameter, for a shape that does not
     *                                  fit or a non-finite parameter
     */
    static DenseNetwork of(int[] sizes, Activation[] activations, double[] parameters) {
        checkShape(sizes, activations);
        if (parameters.length != parameterCount(sizes)) {
            throw new IllegalArgumentException("a " + shape(sizes) + " network has " + parameterCount(sizes)
                    + " parameters, not " + parameters.length);
        }
        DenseNetwork network = new DenseNetwork(sizes.clone(), activations.clone(), parameters.clone());
        for (int l = 0; l < activations.length; l++) {
            for (int i = 0; i < sizes[l]; i++) {
                for (int j = 0; j < sizes[l + 1]; j++) {
                    network.checkFinite(network.weightIndex(l, i, j), l, "weight from input " + i + " to output " + j);
                }
            }
            for (int j = 0; j < sizes[l + 1]; j++) {
                network.checkFinite(network.biasIndex(l, j), l, "bias of output " + j);
            }
        }
        return network;
    }

    /**
     * A network with zero biases and random weights: He initialisation, N(0, 2 / fan-in), before
     * a ReLU (He et al., "Delving Deep into Rectifiers", ICCV 2015), and Glorot's uniform
     * initialisation, U(+-sqrt(6 / (fan-in + fan-out))), before a linear output (Glorot and
     * Bengio, "Understanding the difficulty of training deep feedforward neural networks",
     * AISTATS 2010). Both keep the variance of the signal about constant from layer to layer.
     */
    static DenseNetwork initialised(int[] sizes, Activation[] activations, SplittableRandom random) {
        checkShape(sizes, activations);
        DenseNetwork network = new DenseNetwork(sizes.clone(), activations.clone(), new double[parameterCount(sizes)]);
        for (int l = 0; l < activations.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double he = Math.sqrt(2.0 / in);
            double glorot = Math.sqrt(6.0 / (in + out));
            for (int k = network.offsets[l]; k < network.biasIndex(l, 0); k++) {
                network.parameters[k] = activations[l] == Activation.RELU ? he * random.nextGaussian()
                        : random.nextDouble(-glorot, glorot);
            }
        }
        return network;
    }

    /**
     * An {@link #initialised} network from {@code inputs} through layers of widths
     * {@code hidden} with ReLU to {@code outputs} linear outputs.
     */
    static DenseNetwork initialised(int inputs, int[] hidden, int outputs, SplittableRandom random) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = outputs;
        Activation[] activations = new Activation[hidden.length + 1];
        Arrays.fill(activations, Activation.RELU);
        activations[hidden.length] = Activation.LINEAR;
        return initialised(sizes, activations, random);
    }

    private static void checkShape(int[] sizes, Activation[] activations) {
        if (activations.length < 1 || activations.length > MAX_LAYERS || sizes.length != activations.length + 1) {
            throw new IllegalArgumentException("a network needs 1 to " + MAX_LAYERS + " layers and one more width than"
                    + " layers; got widths " + Arrays.toString(sizes) + " for " + activations.length + " layers");
        }
        for (int l = 0; l < sizes.length; l++) {
            if (sizes[l] < 1 || sizes[l] > MAX_WIDTH) {
                throw new IllegalArgumentException("layer width " + l + " is " + sizes[l] + ", expected 1 to "
                        + MAX_WIDTH);
            }
        }
        for (int l = 0; l < activations.length; l++) {
            if (activations[l] == null) {
                throw new IllegalArgumentException("layer " + l + " has no activation");
            }
        }
    }

    private static int parameterCount(int[] sizes) {
        int count = 0;
        for (int l = 0; l + 1 < sizes.length; l++) {
            count += (sizes[l] + 1) * sizes[l + 1];
        }
        return count;
    }

    private static String shape(int[] sizes) {
        StringBuilder s = new StringBuilder();
        for (int width : sizes) {
            s.append(s.length() == 0 ? "" : "-").append(width);
        }
        return s.toString();
    }

    private void checkFinite(int index, int layer, String what) {
        if (!Double.isFinite(parameters[index])) {
            throw new IllegalArgumentException("layer " + layer + " " + what + " is " + parameters[index]);
        }
    }

    /** A checked copy: what a trainer gives a scorer. */
    DenseNetwork copy() {
        return of(sizes, activations, parameters);
    }

    /**
     * The same network with only the first {@code n} outputs of its last layer: a VAE's encoder
     * without the log-variances, which scoring does not need.
     */
    DenseNetwork withFirstOutputs(int n) {
        int last = layers() - 1;
        if (n < 1 || n > outputs()) {
            throw new IllegalArgumentException("cannot keep " + n + " of " + outputs() + " outputs");
        }
        int[] narrowed = sizes.clone();
        narrowed[last + 1] = n;
        DenseNetwork out = new DenseNetwork(narrowed, activations.clone(), new double[parameterCount(narrowed)]);
        System.arraycopy(parameters, 0, out.parameters, 0, offsets[last]);
        for (int i = 0; i < size(last); i++) {
            System.arraycopy(parameters, weightIndex(last, i, 0), out.parameters, out.weightIndex(last, i, 0), n);
        }
        System.arraycopy(parameters, biasIndex(last, 0), out.parameters, out.biasIndex(last, 0), n);
        return out.copy();
    }

    int layers() {
        return activations.length;
    }

    /** Width {@code l}: the inputs for 0, else the outputs of layer l - 1. */
    int size(int l) {
        return sizes[l];
    }

    int inputs() {
        return sizes[0];
    }

    int outputs() {
        return sizes[sizes.length - 1];
    }

    int[] sizes() {
        return sizes.clone();
    }

    Activation[] activations() {
        return activations.clone();
    }

    /** The live parameters, weights then biases layer by layer; only a trainer writes them. */
    double[] parameters() {
        return parameters;
    }

    /** Where the weight from input {@code i} to output {@code j} of {@code layer} is. */
    int weightIndex(int layer, int i, int j) {
        return offsets[layer] + i * sizes[layer + 1] + j;
    }

    int biasIndex(int layer, int j) {
        return offsets[layer] + sizes[layer] * sizes[layer + 1] + j;
    }

    /** Buffers for every width: index 0 for the inputs, l + 1 for layer l's outputs. */
    double[][] newBuffers() {
        double[][] buffers = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            buffers[l] = new double[sizes[l]];
        }
        return buffers;
    }

    /** Scratch for {@link #forward}: room for the widest layer's inputs. */
    ActiveInputs newActiveInputs() {
        int widest = 0;
        for (int width : sizes) {
            widest = Math.max(widest, width);
        }
        return new ActiveInputs(widest);
    }

    /**
     * Runs the network on {@code values[0]}, filling {@code values[l + 1]} with layer l's outputs
     * (from {@link #newBuffers()}), with {@code active} from {@link #newActiveInputs()} as
     * scratch; returns the last, the network's output.
     */
    double[] forward(double[][] values, ActiveInputs active) {
        for (int l = 0; l < activations.length; l++) {
            double[] out = values[l + 1];
            affine(l, values[l], out, active);
            if (activations[l] == Activation.RELU) {
                for (int j = 0; j < out.length; j++) {
                    out[j] = Math.max(out[j], 0.0);
                }
            }
        }
        return values[activations.length];
    }

    /**
     * out = W in + b for layer {@code l}, eight outputs at a time, over the non-zero inputs only:
     * after a ReLU about half are zero, and fma(0, w, a) = a, so skipping them changes nothing.
     */
    private void affine(int l, double[] in, double[] out, ActiveInputs active) {
        final double[] p = parameters;
        final int n = sizes[l];
        final int m = sizes[l + 1];
        final int bias = biasIndex(l, 0);
        final int weights = offsets[l];
        final double[] xs = active.values;
        final int[] rows = active.rows;
        int count = 0;
        for (int i = 0; i < n; i++) {
            // Written always, kept only if non-zero: no branch to mispredict on the ReLU pattern.
            xs[count] = in[i];
            rows[count] = weights + i * m;
            count += in[i] != 0.0 ? 1 : 0;
        }
        int j = 0;
        for (; j + 8 <= m; j += 8) {
            double a0 = p[bias + j];
            double a1 = p[bias + j + 1];
            double a2 = p[bias + j + 2];
            double a3 = p[bias + j + 3];
            double a4 = p[bias + j + 4];
            double a5 = p[bias + j + 5];
            double a6 = p[bias + j + 6];
            double a7 = p[bias + j + 7];
            for (int t = 0; t < count; t++) {
                double x = xs[t];
                int k = rows[t] + j;
                a0 = Math.fma(x, p[k], a0);
                a1 = Math.fma(x, p[k + 1], a1);
                a2 = Math.fma(x, p[k + 2], a2);
                a3 = Math.fma(x, p[k + 3], a3);
                a4 = Math.fma(x, p[k + 4], a4);
                a5 = Math.fma(x, p[k + 5], a5);
                a6 = Math.fma(x, p[k + 6], a6);
                a7 = Math.fma(x, p[k + 7], a7);
            }
            out[j] = a0;
            out[j + 1] = a1;
            out[j + 2] = a2;
            out[j + 3] = a3;
            out[j + 4] = a4;
            out[j + 5] = a5;
            out[j + 6] = a6;
            out[j + 7] = a7;
        }
        for (; j < m; j++) {
            double a = p[bias + j];
            for (int t = 0; t < count; t++) {
                a = Math.fma(xs[t], p[rows[t] + j], a);
            }
            out[j] = a;
        }
    }

    /**
     * Backpropagation: given the forward pass's {@code values} and dLoss/dOutput in the last of
     * {@code deltas} (shaped like {@code values}), adds dLoss/dParameter to {@code gradient}
     * (laid out like {@link #parameters()}). Overwrites {@code deltas} with dLoss/d(each
     * layer's outputs), and, if {@code inputGradient}, leaves dLoss/dInput in {@code deltas[0]}.
     */
    void backward(double[][] values, double[][] deltas, double[] gradient, boolean inputGradient) {
        final double[] p = parameters;
        for (int l = activations.length - 1; l >= 0; l--) {
            double[] in = values[l];
            double[] out = values[l + 1];
            double[] delta = deltas[l + 1];
            int n = sizes[l];
            int m = sizes[l + 1];
            if (activations[l] == Activation.RELU) {
                // ReLU passes the gradient where it passed the signal: output > 0 exactly where its input was.
                for (int j = 0; j < m; j++) {
                    if (out[j] <= 0.0) {
                        delta[j] = 0.0;
                    }
                }
            }
            int bias = biasIndex(l, 0);
            for (int j = 0; j < m; j++) {
                gradient[bias + j] += delta[j];
            }
            boolean below = l > 0 || inputGradient;
            double[] inDelta = deltas[l];
            for (int i = 0, row = offsets[l]; i < n; i++, row += m) {
                double x = in[i];
                if (x != 0.0) {
                    for (int j = 0; j < m; j++) {
                        gradient[row + j] = Math.fma(x, delta[j], gradient[row + j]);
                    }
                }
                if (below) {
                    inDelta[i] = dot(p, row, delta, m);
                }
            }
        }
    }

    /** sum_j p[from + j] v[j] over {@code m} terms, in four interleaved partial sums so the additions overlap. */
    private static double dot(double[] p, int from, double[] v, int m) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int j = 0;
        for (; j + 4 <= m; j += 4) {
            s0 = Math.fma(p[from + j], v[j], s0);
            s1 = Math.fma(p[from + j + 1], v[j + 1], s1);
            s2 = Math.fma(p[from + j + 2], v[j + 2], s2);
            s3 = Math.fma(p[from + j + 3], v[j + 3], s3);
        }
        for (; j < m; j++) {
            s0 = Math.fma(p[from + j], v[j], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
