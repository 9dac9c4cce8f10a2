package org.oddity.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes a scorer family's parameters into a bundle directory and reads them back. */
public interface ScorerCodec {

    /** The family this codec handles, e.g. {@code hbos}. */
    String family();

    /** Writes {@code scorer}'s parameters under {@code dir}; returns the relative file names written. */
    List<String> write(Scorer scorer, Path dir) throws IOException;

    /** Reads the scorer whose parameters {@link #write} put under {@code dir}. */
    Scorer read(Path dir) throws IOException;
}
