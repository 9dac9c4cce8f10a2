package org.oddity.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One model family: how to train it from named parameters, and how to store its parameters in
 * a bundle directory and read them back. {@link ScorerRegistry} maps a manifest's
 * {@code scorer} field to its family.
 */
public interface ScorerFamily {

    /** The family's short name, e.g. {@code hbos}. */
    String family();

    /**
     * A trainer configured by {@code parameters} (family-specific names; absent ones take their
     * defaults) and {@code seed}.
     *
     * @throws IllegalArgumentException naming the parameter, for an unknown name or a bad value
     */
    ScorerTrainer trainer(Map<String, String> parameters, long seed);

    /**
     * The feature preprocessing {@code oddity train} fits before this family unless told
     * otherwise, as {@code Preprocessing.fit} reads it: {@code none}, or steps such as
     * {@code log-pt,standardize} for families that assume features on comparable scales.
     */
    default String defaultPreprocessing() {
        return "none";
    }

    /** Writes {@code scorer}'s parameters under {@code dir}; returns the relative file names written. */
    List<String> write(Scorer scorer, Path dir) throws IOException;

    /** Reads the scorer whose parameters {@link #write} put under {@code dir}. */
    Scorer read(Path dir) throws IOException;
}
