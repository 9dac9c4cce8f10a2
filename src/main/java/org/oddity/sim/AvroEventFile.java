package org.oddity.sim;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.oddity.avro.CollisionEvent;

/** Reads CollisionEvents from a standard Avro container file, resolving its writer schema. */
public final class AvroEventFile implements Iterator<CollisionEvent>, Closeable {

    private final Path path;
    private final DataFileReader<CollisionEvent> reader;

    private AvroEventFile(Path path, DataFileReader<CollisionEvent> reader) {
        this.path = path;
        this.reader = reader;
    }

    /** Opens {@code path}; fails with a message naming the file if it is not an Avro container of events. */
    public static AvroEventFile open(Path path) throws IOException {
        try {
            return new AvroEventFile(path, new DataFileReader<>(path.toFile(),
                    new SpecificDatumReader<>(CollisionEvent.class)));
        } catch (IOException e) {
            throw new IOException(path + " is not a readable Avro container file: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean hasNext() {
        return reader.hasNext();
    }

    @Override
    public CollisionEvent next() {
        if (!reader.hasNext()) {
            throw new NoSuchElementException();
        }
        try {
            return reader.next();
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException(path + ": bad record after block at byte "
                    + previousSync() + ": " + e.getMessage(), e));
        }
    }

    private long previousSync() {
        try {
            return reader.previousSync();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
