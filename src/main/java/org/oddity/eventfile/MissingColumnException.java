package org.oddity.eventfile;

import java.nio.file.Path;
import java.util.List;

/** A column mapping names a column the file does not have; the message lists the columns it does have. */
public final class MissingColumnException extends EventFileException {

    private static final long serialVersionUID = 1L;

    /** {@code file} has no column {@code column}, which the mapping uses as {@code role}, e.g. {@code run}. */
    public MissingColumnException(Path file, String column, String role, List<String> available) {
        super(file + " has no column '" + column + "' (mapped as " + role + "); its columns: "
                + (available.isEmpty() ? "none" : String.join(", ", available)));
    }
}
