package org.oddity.score.neural;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

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

    private final String name;
    private final int magic;
    private final String family;

    /**
     * @param name   file name in the bundle directory
     * @param magic  first int of the file, distinct per family
     * @param family the family, for messages
     */
    NetworkFile(String name, int magic, String family) {
        this.name = name;
        this.magic = magic;
        this.family = family;
    }

    String name() {
        return name;
    }

    void write(DenseNetwork network, Path dir) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(name)), 1 << 16))) {
            out.writeInt(magic);
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
        }
    }

    /**
     * Reads the network and makes the scorer from it with {@code scorer}.
     *
     * @throws IOException naming this file and the field, for anything the file or the
     *                     scorer's constructor refuses
     */
    <T> T read(Path dir, Function<DenseNetwork, T> scorer) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(name))))) {
            if (in.readInt() != magic) {
                throw new IOException(name + " is not a network file of scorer " + family);
            }
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
            if (in.read() != -1) {
                throw new IOException(name + " has bytes after its last parameter");
            }
            return scorer.apply(DenseNetwork.of(sizes, activations, values));
        } catch (EOFException e) {
            throw new IOException(name + " is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }
}
