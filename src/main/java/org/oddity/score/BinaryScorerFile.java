package org.oddity.score;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A scorer's parameters in one big-endian binary file of a bundle directory, opened by a magic
 * int distinct per family. Reading refuses a file of another kind, a truncated one, one with
 * bytes after its contents, and contents the scorer's constructor refuses, each naming the file.
 *
 * @param name  file name in the bundle directory
 * @param magic first int of the file
 * @param kind  what the file holds, for the message refusing another file, e.g. {@code a kernel density file}
 */
public record BinaryScorerFile(String name, int magic, String kind) {

    /**
     * Writes the magic, then {@code contents}, to the file under {@code dir}; returns its name, the
     * one file a {@link ScorerFamily#write} of this family writes.
     */
    public List<String> write(Path dir, Contents contents) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(name)), 1 << 16))) {
            out.writeInt(magic);
            contents.write(out);
        }
        return List.of(name);
    }

    /**
     * Checks the magic of the file under {@code dir}, then reads the rest with {@code parser}.
     *
     * @throws IOException naming the file, for another kind of file, one that ends early, or an
     *                     IllegalArgumentException from {@code parser}
     */
    public <T> T read(Path dir, Parser<T> parser) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(name))))) {
            if (in.readInt() != magic) {
                throw new IOException(name + " is not " + kind);
            }
            return parser.read(in);
        } catch (EOFException e) {
            throw new IOException(name + " is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails unless {@code in} is at the end of the file: bytes after the {@code last} item mean
     * the header does not describe the file.
     */
    public void requireEnd(DataInputStream in, String last) throws IOException {
        if (in.read() != -1) {
            throw new IOException(name + " has bytes after its last " + last);
        }
    }

    /** Writes a scorer's parameters after the magic. */
    @FunctionalInterface
    public interface Contents {

        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a scorer's parameters after the magic and makes the scorer. */
    @FunctionalInterface
    public interface Parser<T> {

        T read(DataInputStream in) throws IOException;
    }
}
