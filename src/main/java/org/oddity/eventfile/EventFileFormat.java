package org.oddity.eventfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The event file formats replay and training read, each with its file name extensions. */
public enum EventFileFormat {

    /** Avro container file of CollisionEvents; a column mapping does not apply. */
    AVRO(List.of(".avro")),
    /** CSV table with a header row. */
    CSV(List.of(".csv")),
    /** HDF5 table: a compound dataset, a group of 1-D datasets, a pandas store or a named 2-D dataset. */
    HDF5(List.of(".h5", ".hdf5"));

    private final List<String> extensions;

    EventFileFormat(List<String> extensions) {
        this.extensions = extensions;
    }

    /** The format {@code file}'s extension names; {@link IllegalArgumentException} if none does. */
    public static EventFileFormat of(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (EventFileFormat format : values()) {
            if (format.extensions.stream().anyMatch(name::endsWith)) {
                return format;
            }
        }
        throw new IllegalArgumentException("cannot tell the format of " + file + " from its name (.avro, .csv, .h5,"
                + " .hdf5)");
    }

    /** Whether events of this format are built from table columns, so that a {@link ColumnMapping} applies. */
    public boolean isTable() {
        return this != AVRO;
    }

    /** Opens {@code file} in this format. */
    public EventSource open(Path file, ColumnMapping mapping, BadRows badRows) throws IOException {
        return switch (this) {
            case AVRO -> AvroEventFile.open(file, badRows);
            case CSV -> CsvEventFile.open(file, mapping, badRows);
            case HDF5 -> Hdf5EventFile.open(file, mapping, badRows);
        };
    }
}
