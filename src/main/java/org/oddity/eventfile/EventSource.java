package org.oddity.eventfile;

import java.io.Closeable;
import java.util.Iterator;
import java.util.Optional;
import org.oddity.avro.CollisionEvent;

/**
 * The events of a file, in file order. A bad row either stops iteration with a
 * {@link BadRowException} or is counted and skipped, as the source's {@link BadRows} says.
 * {@code hasNext()} reads ahead, so it too may throw.
 */
public interface EventSource extends Iterator<CollisionEvent>, Closeable {

    /**
     * Where the event last returned came from, for messages: {@code line 17} (CSV, 1-based
     * line), {@code row 16} (HDF5, 0-based index as in h5py), {@code record 16} (Avro, 0-based).
     */
    String position();

    /** Rows or records read so far, bad ones included. */
    long rowsRead();

    /** Rows the file holds, if known before reading it; 0 if not. */
    long knownRows();

    /**
     * Bytes of the file read so far, for progress where the rows are not known: Avro counts up to the
     * block being read, CSV what its buffered reader took; 0 where {@link #knownBytes} is 0.
     */
    long bytesRead();

    /** The file's size in bytes, where {@link #bytesRead} can be measured against it; 0 if not. */
    long knownBytes();

    /** What happens to bad rows, and how many were skipped. */
    BadRows badRows();

    /** The flat feature vectors this source's events carry; empty if they carry trigger objects. */
    Optional<FeatureLayout> featureLayout();
}
