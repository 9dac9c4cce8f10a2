package org.oddity.eventfile;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.oddity.avro.CollisionEvent;

/**
 * Reads events from a table in an HDF5 file (see {@link Hdf5Layout}), a block of rows at a time,
 * with a {@link ColumnMapping} by column name. Rows are numbered from 0, as in h5py.
 *
 * <p>A file shorter than its superblock's end-of-file address is refused when opened, as the
 * HDF5 library itself does: data past the cut would otherwise be read as whatever the reader
 * finds there.
 */
public final class Hdf5EventFile extends EventFileReader {

    /** Rows read per block: large enough to amortize chunk decompression, small enough for tens of columns. */
    private static final int BLOCK_ROWS = 1 << 15;

    private final HdfFile hdf;
    private final Hdf5Table table;
    private final RowAssembler assembler;
    private final int[] used;
    private final long rows;
    private final int blockRows;
    private final Hdf5Row row = new Hdf5Row();
    private Object[] block;
    private long blockStart;
    private long blockEnd;

    private Hdf5EventFile(Path file, HdfFile hdf, ColumnMapping mapping, BadRows badRows, int blockRows)
            throws EventFileException {
        super(file, badRows, "the start");
        this.blockRows = blockRows;
        this.hdf = hdf;
        this.table = Hdf5Layout.table(file, hdf, mapping.dataset());
        this.assembler = new RowAssembler(file, mapping, table.columns(), table::isNumeric);
        this.used = assembler.usedColumns();
        this.rows = table.rows(used);
    }

    /**
     * Opens {@code file} and finds its table.
     *
     * @throws EventFileException if the file is not HDF5, is truncated, has no table at the mapping's
     *                            dataset path, lacks a mapped column, or its columns differ in length
     */
    public static Hdf5EventFile open(Path file, ColumnMapping mapping, BadRows badRows) throws IOException {
        return open(file, mapping, badRows, BLOCK_ROWS);
    }

    /** Opens {@code file}, reading {@code blockRows} rows at a time. */
    static Hdf5EventFile open(Path file, ColumnMapping mapping, BadRows badRows, int blockRows) throws IOException {
        HdfFile hdf = openChecked(file);
        try {
            return new Hdf5EventFile(file, hdf, mapping, badRows, blockRows);
        } catch (IOException | RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    private static HdfFile openChecked(Path file) throws IOException {
        long size = Files.size(file);
        HdfFile hdf;
        try {
            hdf = new HdfFile(file);
        } catch (RuntimeException e) {
            throw new EventFileException(file + " is not a readable HDF5 file (" + size + " bytes): " + e.getMessage(),
                    e);
        }
        Superblock superblock = hdf.getHdfBackingStorage().getSuperblock();
        long end = superblock.getBaseAddressByte() + superblock.getEndOfFileAddress();
        if (size < end) {
            hdf.close();
            throw new EventFileException(file + " is truncated: its HDF5 superblock says the file ends at byte " + end
                    + ", but it has " + size + " bytes");
        }
        return hdf;
    }

    @Override
    protected CollisionEvent fetch() {
        while (rowsRead < rows) {
            if (rowsRead >= blockEnd && !loadBlock()) {
                continue;
            }
            long at = rowsRead++;
            CollisionEvent event = assembled(assembler, row.at(block, (int) (at - blockStart)), at, "row " + at);
            if (event != null) {
                return event;
            }
        }
        return null;
    }

    /** Reads the block starting at row {@link #rowsRead}; false if it is unreadable and skipped. */
    private boolean loadBlock() {
        int count = (int) Math.min(blockRows, rows - rowsRead);
        try {
            block = table.read(used, rowsRead, count);
            blockStart = rowsRead;
            blockEnd = rowsRead + count;
            return true;
        } catch (RuntimeException e) {
            long first = rowsRead;
            rowsRead += count;
            badRows.handle(new BadRowException(file, "rows " + first + " to " + (rowsRead - 1),
                    BadRowException.Reason.MALFORMED, count, "cannot be read: " + e));
            return false;
        }
    }

    @Override
    public long knownRows() {
        return rows;
    }

    @Override
    public Optional<FeatureLayout> featureLayout() {
        return Optional.of(assembler.layout());
    }

    @Override
    public void close() {
        hdf.close();
    }
}
