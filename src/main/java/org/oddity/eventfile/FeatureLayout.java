package org.oddity.eventfile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The flat feature vectors a table file yields: the layout name written into each
 * {@code FeatureVector}, and the ordered feature names a model bundle declares.
 *
 * @param name         layout name
 * @param featureNames feature names in vector order
 */
public record FeatureLayout(String name, List<String> featureNames) {

    private static final int DIGEST_HEX_DIGITS = 12;

    public FeatureLayout {
        featureNames = List.copyOf(featureNames);
    }

    /**
     * A name derived from the feature names alone, e.g. {@code table:3f9a1c2b7d4e}: the same columns
     * give the same layout whether they come from CSV or HDF5, so a model trained on one scores the other.
     */
    public static String derivedName(List<String> featureNames) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(String.join("\n", featureNames).getBytes(StandardCharsets.UTF_8));
            return "table:" + HexFormat.of().formatHex(digest).substring(0, DIGEST_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
