package org.oddity.eventfile;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.CompoundDataType;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A table in an HDF5 file, read in blocks of rows: the fields of a 1-D compound dataset, or the
 * 1-D datasets of a group, are its columns. Other children of a group (sub-groups, 2-D arrays,
 * scalars) are not columns and are left alone.
 *
 * <p>Contiguous datasets are read a block at a time. Chunked ones (every compressed dataset) are
 * read whole on first use and served from memory: jhdf 0.9.4 returns zeros, without an error,
 * for a slice of any chunk but the first (jhdf issue 727).
 */
final class Hdf5Table {

    private final Path file;
    private final String path;
    private final Dataset compound;
    private final List<String> names = new ArrayList<>();
    private final List<Class<?>> types = new ArrayList<>();
    private final List<Dataset> datasets = new ArrayList<>();
    private final Map<Integer, Object> wholeColumns = new HashMap<>();
    private Map<?, ?> wholeCompound;

    private Hdf5Table(Path file, String path, Dataset compound) {
        this.file = file;
        this.path = path;
        this.compound = compound;
    }

    /** The table at {@code path} in {@code hdf}. */
    static Hdf5Table find(Path file, HdfFile hdf, String path) throws EventFileException {
        Node node;
        try {
            // jhdf resolves paths below the root, not the root itself.
            node = path.equals(ColumnMapping.ROOT) ? hdf : hdf.getByPath(path);
        } catch (HdfException e) {
            throw new EventFileException(file + " has no dataset or group " + path + "; the file's top level holds: "
                    + describe(hdf), e);
        }
        if (node instanceof Dataset dataset) {
            if (isCompoundTable(dataset)) {
                return compoundTable(file, path, dataset);
            }
            throw new EventFileException(file + ": " + path + " is a " + describe(dataset) + ", not a table: give a 1-D"
                    + " compound dataset or a group of 1-D datasets");
        }
        Group group = (Group) node;
        Hdf5Table table = new Hdf5Table(file, path, null);
        List<Dataset> compounds = new ArrayList<>();
        for (Node child : group) {
            if (child instanceof Dataset d && d.getDimensions().length == 1) {
                if (d.isCompound()) {
                    compounds.add(d);
                } else {
                    table.names.add(child.getName());
                    table.types.add(d.getJavaType());
                    table.datasets.add(d);
                }
            }
        }
        if (table.names.isEmpty() && compounds.size() == 1) {
            return compoundTable(file, compounds.get(0).getPath(), compounds.get(0));
        }
        if (table.names.isEmpty()) {
            throw new EventFileException(file + ": " + path + " holds no table (a 1-D compound dataset, or 1-D"
                    + " datasets as columns); it holds: " + describe(group));
        }
        return table;
    }

    private static boolean isCompoundTable(Dataset dataset) {
        return dataset.isCompound() && dataset.getDimensions().length == 1;
    }

    private static Hdf5Table compoundTable(Path file, String path, Dataset dataset) {
        Hdf5Table table = new Hdf5Table(file, path, dataset);
        for (CompoundDataType.CompoundDataMember member : ((CompoundDataType) dataset.getDataType()).getMembers()) {
            // Array-valued fields would be several columns under one name; they are not columns.
            if (member.getDimensionSize() == null || member.getDimensionSize().length == 0) {
                table.names.add(member.getName());
                table.types.add(member.getDataType().getJavaType());
            }
        }
        return table;
    }

    private static String describe(Group group) {
        List<String> children = new ArrayList<>();
        for (Node child : group) {
            children.add(child.getName() + " (" + (child instanceof Dataset d ? describe(d) : "group") + ")");
        }
        return children.isEmpty() ? "nothing" : String.join(", ", children);
    }

    private static String describe(Dataset dataset) {
        return dataset.getDimensions().length + "-D " + (dataset.isCompound() ? "compound dataset" : "dataset");
    }

    /** Column names: compound fields in declared order, or a group's datasets in link order. */
    List<String> columns() {
        return names;
    }

    /** Whether column {@code c} holds numbers. */
    boolean isNumeric(int c) {
        Class<?> type = types.get(c);
        return (type.isPrimitive() && type != boolean.class && type != char.class)
                || Number.class.isAssignableFrom(type);
    }

    /** Rows of the table; the used columns of a group must all have as many. */
    long rows(int[] used) throws EventFileException {
        if (compound != null) {
            return compound.getDimensions()[0];
        }
        long rows = -1;
        int first = -1;
        for (int c : used) {
            long n = datasets.get(c).getDimensions()[0];
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
        long[] start = {offset};
        int[] shape = {count};
        if (compound != null) {
            boolean chunked = compound instanceof ChunkedDataset;
            if (chunked && wholeCompound == null) {
                wholeCompound = (Map<?, ?>) compound.getData();
            }
            Map<?, ?> fields = chunked ? wholeCompound : (Map<?, ?>) compound.getData(start, shape);
            for (int c : used) {
                Object field = fields.get(names.get(c));
                arrays[c] = chunked ? slice(field, offset, count) : field;
            }
        } else {
            for (int c : used) {
                Dataset dataset = datasets.get(c);
                if (dataset instanceof ChunkedDataset) {
                    Object whole = wholeColumns.get(c);
                    if (whole == null) {
                        whole = dataset.getData();
                        wholeColumns.put(c, whole);
                    }
                    arrays[c] = slice(whole, offset, count);
                } else {
                    arrays[c] = dataset.getData(start, shape);
                }
            }
        }
        return arrays;
    }

    private static Object slice(Object array, long offset, int count) {
        Object part = Array.newInstance(array.getClass().getComponentType(), count);
        System.arraycopy(array, Math.toIntExact(offset), part, 0, count);
        return part;
    }
}
