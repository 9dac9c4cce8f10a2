package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.score.ScorerFamily;

/**
 * Network files refuse damage with an IOException naming the file and the field: another
 * family's file, a truncated or overlong one, an implausible header, an unknown activation, a
 * NaN or infinite parameter, and a network of the wrong shape for its family.
 */
class NetworkFileTest {

    /** A 12-32-8-32-12 autoencoder file: magic, layers, 5 widths and 4 activations, then 1,364 parameters. */
    private static final int HEADER = 4 * (2 + 5 + 4);

    private static DenseNetwork autoencoder() {
        return DenseNetwork.initialised(12, new int[] {32, 8, 32}, 12, new SplittableRandom(1));
    }

    /** Writes a good autoencoder file, lets {@code damage} change its bytes, and returns the read's refusal. */
    private static IOException damaged(Path dir, Consumer<ByteBuffer> damage) throws IOException {
        AutoencoderFamily.FILE.write(autoencoder(), dir);
        Path file = dir.resolve("autoencoder.bin");
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file));
        damage.accept(bytes);
        Files.write(file, Arrays.copyOf(bytes.array(), bytes.limit()));
        return assertThrows(IOException.class, () -> new AutoencoderFamily().read(dir));
    }

    @Test
    void headerAndLengthDamageIsRefused(@TempDir Path dir) throws IOException {
        assertEquals(HEADER + 8 * 1_364, 4 * 11 + 8L * autoencoder().parameters().length);
        assertEquals("autoencoder.bin is truncated", damaged(dir, b -> b.limit(b.limit() - 3)).getMessage());
        assertEquals("autoencoder.bin is truncated", damaged(dir, b -> b.limit(10)).getMessage());
        assertEquals("autoencoder.bin is not a network file of scorer autoencoder",
                damaged(dir, b -> b.putInt(0, 0x49464F52)).getMessage());
        assertEquals("autoencoder.bin has 0 layers, expected 1 to 16", damaged(dir, b -> b.putInt(4, 0)).getMessage());
        assertEquals("autoencoder.bin has 99 layers, expected 1 to 16", damaged(dir, b -> b.putInt(4, 99)).getMessage());
        assertEquals("autoencoder.bin width 2 is 0, expected 1 to 4096", damaged(dir, b -> b.putInt(16, 0)).getMessage());
        assertEquals("autoencoder.bin width 2 is 5000, expected 1 to 4096",
                damaged(dir, b -> b.putInt(16, 5000)).getMessage());
        IOException huge = damaged(dir, b -> {
            b.putInt(12, 4096);
            b.putInt(16, 4096);
            b.putInt(20, 4096);
        });
        assertEquals("autoencoder.bin declares 33665036 parameters, more than 10000000", huge.getMessage());
        assertEquals("autoencoder.bin layer 2 has activation code 7", damaged(dir, b -> b.putInt(36, 7)).getMessage());
        Files.delete(dir.resolve("autoencoder.bin"));
        assertThrows(NoSuchFileException.class, () -> new AutoencoderFamily().read(dir));
    }

    @Test
    void trailingBytesAreRefused(@TempDir Path dir) throws IOException {
        AutoencoderFamily.FILE.write(autoencoder(), dir);
        Path file = dir.resolve("autoencoder.bin");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length + 1));
        assertEquals("autoencoder.bin has bytes after its last parameter",
                assertThrows(IOException.class, () -> new AutoencoderFamily().read(dir)).getMessage());
    }

    @Test
    void nonFiniteParametersAreRefusedNamingTheParameter(@TempDir Path dir) throws IOException {
        // Parameter 3 is layer 0's weight from input 0 to output 3; 12 * 32 + 5 is its bias of output 5.
        assertEquals("autoencoder.bin: layer 0 weight from input 0 to output 3 is NaN",
                damaged(dir, b -> b.putDouble(HEADER + 8 * 3, Double.NaN)).getMessage());
        assertEquals("autoencoder.bin: layer 0 bias of output 5 is -Infinity",
                damaged(dir, b -> b.putDouble(HEADER + 8 * (12 * 32 + 5), Double.NEGATIVE_INFINITY)).getMessage());
        int last = autoencoder().parameters().length - 1;
        assertEquals("autoencoder.bin: layer 3 bias of output 11 is NaN",
                damaged(dir, b -> b.putDouble(HEADER + 8 * last, Double.NaN)).getMessage());
    }

    @Test
    void aNetworkOfTheWrongShapeOrFamilyIsRefused(@TempDir Path dir) throws IOException {
        AutoencoderFamily.FILE.write(DenseNetwork.initialised(12, new int[] {16}, 5, new SplittableRandom(2)), dir);
        assertEquals("autoencoder.bin: an autoencoder of 12 inputs must output 12 values, not 5",
                assertThrows(IOException.class, () -> new AutoencoderFamily().read(dir)).getMessage());
        // A vae-latent file renamed to the autoencoder's name is not taken for one.
        ScorerFamily vae = new VaeLatentFamily();
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        vae.write(new VaeLatentScorer(DenseNetwork.initialised(12, new int[] {16}, 4, new SplittableRandom(3))), other);
        Files.move(other.resolve("vae-latent.bin"), other.resolve("autoencoder.bin"));
        assertEquals("autoencoder.bin is not a network file of scorer autoencoder",
                assertThrows(IOException.class, () -> new AutoencoderFamily().read(other)).getMessage());
        Files.move(other.resolve("autoencoder.bin"), other.resolve("vae-latent.bin"));
        assertEquals(12, vae.read(other).featureCount());
    }
}
