package org.oddity.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests of bundle files, as lower-case hex. */
public final class Sha256 {

    private final MessageDigest digest;

    /** A fresh, empty digest. */
    public Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Adds {@code value} to the digest. */
    public void update(float value) {
        int bits = Float.floatToIntBits(value);
        digest.update((byte) (bits >>> 24));
        digest.update((byte) (bits >>> 16));
        digest.update((byte) (bits >>> 8));
        digest.update((byte) bits);
    }

    /** Adds the UTF-8 bytes of {@code text} to the digest. */
    public void update(String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of everything added so far, as hex. */
    public String hex() {
        try {
            // digest() resets the state; a clone keeps what was added for later updates and calls.
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the platform's SHA-256 cannot be cloned", e);
        }
    }

    /** Digest of the file at {@code path}. */
    public static String ofFile(Path path) throws IOException {
        Sha256 sha = new Sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                sha.digest.update(buffer, 0, read);
            }
        }
        return sha.hex();
    }
}
