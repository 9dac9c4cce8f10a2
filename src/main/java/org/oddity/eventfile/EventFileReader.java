package org.oddity.eventfile;

import java.nio.file.Path;
import java.util.Optional;
import org.oddity.avro.CollisionEvent;

/**
 * What the Avro, CSV and HDF5 readers share: the file, what happens to its bad rows, where the
 * event last returned came from, and how many rows were read. A source knows neither its row
 * count nor a feature layout unless its reader says otherwise.
 */
abstract class EventFileReader extends LookaheadIterator<CollisionEvent> implements EventSource {

    final Path file;
    final BadRows badRows;
    /** Set by the reader each time it returns an event; before the first, where reading starts. */
    String position;
    /** Rows or records read so far, bad ones included: in a table, also the index of the next row. */
    long rowsRead;

    EventFileReader(Path file, BadRows badRows, String start) {
        this.file = file;
        this.badRows = badRows;
        this.position = start;
    }

    /**
     * The event {@code assembler} makes of {@code row}, found at {@code where}, which becomes the
     * position; null if the row is bad and {@link #badRows} skips it.
     */
    final CollisionEvent assembled(RowAssembler assembler, TableRow row, long index, String where) {
        try {
            CollisionEvent event = assembler.assemble(row, index, where);
            position = where;
            return event;
        } catch (BadRowException e) {
            badRows.handle(e);
            return null;
        }
    }

    @Override
    public final String position() {
        return position;
    }

    @Override
    public final BadRows badRows() {
        return badRows;
    }

    @Override
    public final long rowsRead() {
        return rowsRead;
    }

    @Override
    public long knownRows() {
        return 0;
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    public long knownBytes() {
        return 0;
    }

    @Override
    public Optional<FeatureLayout> featureLayout() {
        return Optional.empty();
    }
}
