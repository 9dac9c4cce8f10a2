package org.oddity.eventfile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.oddity.avro.CollisionEvent;

/**
 * Reads CollisionEvents from a standard Avro container file, resolving its writer schema.
 * Records are numbered from 0.
 *
 * <p>Avro's reader takes a file that ends inside a block for a shorter file and says nothing.
 * Every complete container file ends with the sync marker that closes its header, so a file
 * that does not is reported as truncated once its whole blocks are read. A corrupt block is
 * skipped up to the next sync marker when bad rows are skipped; it counts as one bad row, as
 * its record count cannot be trusted.
 */
public final class AvroEventFile extends EventFileReader {

    private static final int SYNC_SIZE = 16;

    private final DataFileReader<CollisionEvent> reader;
    private final boolean complete;
    private final long size;
    private boolean reportedTruncation;

    private AvroEventFile(Path path, DataFileReader<CollisionEvent> reader, BadRows badRows, boolean complete,
            long size) {
        super(path, badRows, "the header");
        this.reader = reader;
        this.complete = complete;
        this.size = size;
    }

    /** Opens {@code path}; the first bad record stops reading. */
    public static AvroEventFile open(Path path) throws IOException {
        return open(path, BadRows.failing());
    }

    /**
     * Opens {@code path}.
     *
     * @throws EventFileException if it is not an Avro container file, or holds records that are not events
     */
    public static AvroEventFile open(Path path, BadRows badRows) throws IOException {
        DataFileReader<CollisionEvent> reader;
        try {
            reader = new DataFileReader<>(path.toFile(), new SpecificDatumReader<>(CollisionEvent.class));
        } catch (IOException | RuntimeException e) {
            throw new EventFileException(path + " is not a readable Avro container file: " + e.getMessage(), e);
        }
        try {
            Schema writer = reader.getSchema();
            SchemaCompatibility.SchemaPairCompatibility compatibility =
                    SchemaCompatibility.checkReaderWriterCompatibility(CollisionEvent.getClassSchema(), writer);
            if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new EventFileException(path + " holds " + writer.getName() + " records, which cannot be read as "
                        + CollisionEvent.class.getSimpleName() + ": "
                        + compatibility.getResult().getIncompatibilities());
            }
            // Right after opening, the reader stands just past the header, which ends with the sync marker.
            return new AvroEventFile(path, reader, badRows, endsWithHeaderSync(path, reader.previousSync()),
                    Files.size(path));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The start of the block being read: a field of the reader, so asking costs no system call. */
    @Override
    public long bytesRead() {
        return reader.previousSync();
    }

    @Override
    public long knownBytes() {
        return size;
    }

    private static boolean endsWithHeaderSync(Path path, long headerEnd) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer headerSync = ByteBuffer.allocate(SYNC_SIZE);
            ByteBuffer lastBytes = ByteBuffer.allocate(SYNC_SIZE);
            channel.read(headerSync, headerEnd - SYNC_SIZE);
            channel.read(lastBytes, channel.size() - SYNC_SIZE);
            return headerSync.flip().equals(lastBytes.flip());
        }
    }

    @Override
    protected CollisionEvent fetch() {
        while (true) {
            long blockStart = reader.previousSync();
            boolean more;
            CollisionEvent event = null;
            try {
                more = reader.hasNext();
                if (more) {
                    event = reader.next();
                    position = "record " + rowsRead++;
                }
            } catch (RuntimeException e) {
                badRows.handle(new BadRowException(file, "the block at byte " + blockStart,
                        BadRowException.Reason.MALFORMED,
                        "is corrupt (" + e.getMessage() + "); last good: " + position));
                skipBlock(blockStart);
                continue;
            }
            if (!more) {
                reportTruncation(blockStart);
                return null;
            }
            return event;
        }
    }

    private void reportTruncation(long blockStart) {
        if (!complete && !reportedTruncation) {
            reportedTruncation = true;
            badRows.handle(new BadRowException(file, "after " + position, BadRowException.Reason.TRUNCATED,
                    "the file ends inside the block at byte " + blockStart + ", whose records are lost"));
        }
    }

    private void skipBlock(long blockStart) {
        try {
            reader.sync(blockStart);
        } catch (IOException e) {
            throw new BadRowException(file, "the block at byte " + blockStart, BadRowException.Reason.MALFORMED,
                    "cannot find the next block: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
