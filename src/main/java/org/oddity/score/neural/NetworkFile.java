package org.oddity.score.neural;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.oddity.score.BinaryScorerFile;

/**
 * A {@link DenseNetwork} in a bundle file: magic, layer count, the widths, one activation code
 * per layer (ints), then every parameter in {@link DenseNetwork#parameters()} order as a
 * big-endian double, so a read network computes bit-identically. Binary, and checked field by
 * field on reading: a damaged, truncated, wrongly shaped or non-finite file is refused naming the
 * file and what is wrong.
 */
final class NetworkFile {

    /** Bounds what a damaged header can make the reader allocate: 80 MB of doubles. */
    private static final long MAX_PARAMETERS = 10_000_000L;

    private final BinaryScorerFile stored;
    private final String family;

    /**
     * @param name   file name in the bundle directory
     * @param magic  first int of the file, distinct per family
     * @param family the family whose networks the file holds
     */
    NetworkFile(String name, int magic, String family) {
        this.stored = new BinaryScorerFile(name, magic, "a network file of scorer " + family);
        this.family = family;
    }

    String name() {
        return stored.name();
    }

    String family() {
        return family;
    }

    /** Writes {@code network}; returns the file's name. */
    List<String> write(DenseNetwork network, Path dir) throws IOException {
        return stored.write(dir, out -> {
            out.writeInt(network.layers());
            for (int width : network.sizes()) {
                out.writeInt(width);
            }
            for (Activation activation : network.activations()) {
                out.writeInt(activation.code());
            }
            for (double p : network.parameters()) {
                out.writeDouble(p);
            }
        });
    }

    /**
     * Reads the network and makes the scorer from it with {@code scorer}.
     *
     * @throws IOException naming this file and the field, for anything the file or the
     *                     scorer's constructor refuses
     */
    <T> T read(Path dir, Function<DenseNetwork, T> scorer) throws IOException {
        String name = name();
        return stored.read(dir, in -> {
            int layers = in.readInt();
            if (layers < 1 || layers > DenseNetwork.MAX_LAYERS) {
                throw new IOException(name + " has " + layers + " layers, expected 1 to " + DenseNetwork.MAX_LAYERS);
            }
            int[] sizes = new int[layers + 1];
            long parameters = 0;
            for (int l = 0; l <= layers; l++) {
                sizes[l] = in.readInt();
                if (sizes[l] < 1 || sizes[l] > DenseNetwork.MAX_WIDTH) {
                    throw new IOException(name + " width " + l + " is " + sizes[l] + ", expected 1 to "
                            + DenseNetwork.MAX_WIDTH);
                }
                parameters += l == 0 ? 0 : (sizes[l - 1] + 1L) * sizes[l];
            }
            if (parameters > MAX_PARAMETERS) {
                throw new IOException(name + " declares " + parameters + " parameters, more than " + MAX_PARAMETERS);
            }
            Activation[] activations = new Activation[layers];
            for (int l = 0; l < layers; l++) {
                int code = in.readInt();
                activations[l] = Activation.ofCode(code);
                if (activations[l] == null) {
                    throw new IOException(name + " layer " + l + " has activation code " + code);
                }
            }
            double[] values = new double[(int) parameters];
            for (int k = 0; k < values.length; k++) {
                values[k] = in.readDouble();
            }
            stored.requireEnd(in, "parameter");
            return scorer.apply(DenseNetwork.of(sizes, activations, values));
        });
    }
}
