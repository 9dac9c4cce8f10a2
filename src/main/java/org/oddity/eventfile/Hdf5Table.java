package org.oddity.eventfile;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table in an HDF5 file, read in blocks of rows: its columns (see {@link Hdf5Column}) are found
 * by {@link Hdf5Layout}.
 *
 * <p>Contiguous datasets are read a block at a time. Chunked ones (every compressed dataset) are
 * read whole on first use and served from memory: jhdf 0.9.4 returns zeros, without an error,
 * for a slice of any chunk but the first (jhdf issue 727).
 */
final class Hdf5Table {

    private final Path file;
    private final String path;
    private final List<Hdf5Column> columns;
    private final List<String> names = new ArrayList<>();
    private final Map<Integer, Object> wholeColumns = new HashMap<>();

    Hdf5Table(Path file, String path, List<Hdf5Column> columns) {
        this.file = file;
        this.path = path;
        this.columns = List.copyOf(columns);
        columns.forEach(c -> names.add(c.name()));
    }

    /** Column names, in the order of the layout. */
    List<String> columns() {
        return names;
    }

    /** Whether column {@code c} holds numbers. */
    boolean isNumeric(int c) {
        Class<?> type = columns.get(c).type();
        return (type.isPrimitive() && type != boolean.class && type != char.class)
                || Number.class.isAssignableFrom(type);
    }

    /** Rows of the table; the used columns must all have as many. */
    long rows(int[] used) throws EventFileException {
        if (used.length == 0) {
            return columns.isEmpty() ? 0 : columns.get(0).dataset().getDimensions()[0];
        }
        long rows = -1;
        int first = -1;
        for (int c : used) {
            long n = columns.get(c).dataset().getDimensions()[0];
            if (rows < 0) {
                rows = n;
                first = c;
            } else if (n != rows) {
                throw new EventFileException(file + ": the columns of " + path + " differ in length: '"
                        + names.get(first) + "' has " + rows + " rows, '" + names.get(c) + "' has " + n);
            }
        }
        return rows;
    }

    /**
     * Rows {@code offset} to {@code offset + count - 1} of the used columns, one array per column
     * (null for columns not used). Throws whatever the HDF5 library throws for unreadable data.
     */
    Object[] read(int[] used, long offset, int count) {
        Object[] arrays = new Object[names.size()];
        // Several columns share a dataset (compound fields, 2-D columns): each is read once per call.
        Map<Dataset, Object> read = new HashMap<>();
        for (int c : used) {
            Hdf5Column column = columns.get(c);
            Dataset dataset = column.dataset();
            if (dataset instanceof ChunkedDataset) {
                Object whole = wholeColumns.get(c);
                if (whole == null) {
                    whole = column.values(read.computeIfAbsent(dataset, Dataset::getData));
                    wholeColumns.put(c, whole);
                }
                arrays[c] = slice(whole, offset, count);
            } else {
                arrays[c] = column.values(read.computeIfAbsent(dataset, d -> block(d, offset, count)));
            }
        }
        return arrays;
    }

    private static Object block(Dataset dataset, long offset, int count) {
        int[] dimensions = dataset.getDimensions();
        long[] start = new long[dimensions.length];
        int[] shape = dimensions.clone();
        start[0] = offset;
        shape[0] = count;
        return dataset.getData(start, shape);
    }

    private static Object slice(Object array, long offset, int count) {
        Object part = Array.newInstance(array.getClass().getComponentType(), count);
        System.arraycopy(array, Math.toIntExact(offset), part, 0, count);
        return part;
    }
}
