package org.oddity.eventfile;

import io.jhdf.AbstractNode;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import io.jhdf.exceptions.HdfFilterException;
import io.jhdf.object.datatype.ArrayDataType;
import io.jhdf.object.datatype.CompoundDataType;
import io.jhdf.object.message.FilterPipelineMessage;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the columns of a table in an HDF5 file, in the layouts people write:
 * <ul>
 *   <li>a 1-D compound dataset, its scalar fields as columns (h5py, PyTables);</li>
 *   <li>a pandas "table" store ({@code format="table"}): the compound dataset {@code KEY/table},
 *       whose array fields {@code values_block_N} hold the columns named in the pickled
 *       attribute {@code values_block_N_kind}; the {@code index} field is not a column;</li>
 *   <li>a pandas "fixed" store ({@code format="fixed"}): 2-D datasets {@code blockN_values}
 *       (rows by columns), named by {@code blockN_items}, in the order of {@code axis0};</li>
 *   <li>a 2-D dataset, its columns named by a 1-D string dataset beside it ({@code features}
 *       and {@code feature_names}) or by a string-array attribute; given its group, the 1-D
 *       datasets of as many rows beside it (labels, ids) are columns too;</li>
 *   <li>a group of 1-D datasets, each a column.</li>
 * </ul>
 * A group holding one pandas store stands for it, so the default path, the root, finds the store
 * of a file written with one key.
 */
final class Hdf5Layout {

    /** The filters jHDF 0.9.4 decodes (its FilterManager): deflate, shuffle, fletcher32, lzf, lz4, bitshuffle. */
    private static final Set<Integer> DECODABLE_FILTERS = Set.of(1, 2, 3, 32000, 32004, 32008);
    private static final String PANDAS_TYPE = "pandas_type";
    private static final List<String> NAME_ATTRIBUTES = List.of("columns", "column_names", "feature_names", "names");
    private static final List<String> NAME_DATASETS = List.of("feature_names", "column_names", "columns", "names");

    private final Path file;

    private Hdf5Layout(Path file) {
        this.file = file;
    }

    /** The table at {@code path} in {@code hdf}. */
    static Hdf5Table table(Path file, HdfFile hdf, String path) throws EventFileException {
        Node node;
        try {
            // jhdf resolves paths below the root, not the root itself.
            node = path.equals(ColumnMapping.ROOT) ? hdf : hdf.getByPath(path);
        } catch (HdfException e) {
            throw new EventFileException(file + " has no dataset or group " + path + "; the file's top level holds: "
                    + describe(hdf), e);
        }
        Hdf5Layout layout = new Hdf5Layout(file);
        List<Hdf5Column> columns = node instanceof Dataset d ? layout.ofDataset(d) : layout.ofGroup((Group) node);
        Set<Dataset> datasets = new LinkedHashSet<>();
        columns.forEach(c -> datasets.add(c.dataset()));
        for (Dataset dataset : datasets) {
            layout.checkFilters(dataset);
        }
        return new Hdf5Table(file, path, columns);
    }

    private List<Hdf5Column> ofDataset(Dataset dataset) throws EventFileException {
        if (dataset.isCompound() && dataset.getDimensions().length == 1) {
            return compound(dataset);
        }
        if (!dataset.isCompound() && dataset.getDimensions().length == 2) {
            Optional<ColumnNames> names = matrixNames(dataset);
            if (names.isPresent()) {
                return matrix(dataset, names.get().names());
            }
            throw new EventFileException(file + ": " + dataset.getPath() + " is a 2-D dataset of "
                    + dataset.getDimensions()[1] + " columns without names: put them in a 1-D string dataset "
                    + dataset.getName() + "_names or feature_names beside it, or in an attribute 'columns'");
        }
        throw new EventFileException(file + ": " + dataset.getPath() + " is a " + describe(dataset)
                + ", not a table: give a 1-D compound dataset, a 2-D dataset with column names, a group of 1-D"
                + " datasets or a pandas store");
    }

    private List<Hdf5Column> ofGroup(Group group) throws EventFileException {
        Optional<String> pandasType = text(group.getAttribute(PANDAS_TYPE));
        if (pandasType.isPresent()) {
            return pandas(group, pandasType.get());
        }
        List<Hdf5Column> columns = new ArrayList<>();
        List<Dataset> compounds = new ArrayList<>();
        List<Group> stores = new ArrayList<>();
        Dataset matrix = null;
        ColumnNames matrixNames = null;
        for (Node child : group) {
            if (child instanceof Dataset d && d.getDimensions().length == 1) {
                if (d.isCompound()) {
                    compounds.add(d);
                } else {
                    columns.add(new Hdf5Column(d.getName(), d.getJavaType(), d, null, -1));
                }
            } else if (child instanceof Dataset d && d.getDimensions().length == 2 && !d.isCompound()
                    && matrix == null) {
                Optional<ColumnNames> names = matrixNames(d);
                if (names.isPresent()) {
                    matrix = d;
                    matrixNames = names.get();
                }
            } else if (child instanceof Group g && g.getAttribute(PANDAS_TYPE) != null) {
                stores.add(g);
            }
        }
        if (matrix != null) {
            // X and y as h5py users write them: the named 2-D dataset's columns, then the 1-D
            // datasets of as many rows (labels, ids), but not the names dataset.
            List<Hdf5Column> table = new ArrayList<>(matrix(matrix, matrixNames.names()));
            for (Hdf5Column column : columns) {
                if (!column.name().equals(matrixNames.dataset())
                        && column.dataset().getDimensions()[0] == matrix.getDimensions()[0]) {
                    table.add(column);
                }
            }
            return table;
        }
        if (!columns.isEmpty()) {
            return columns;
        }
        if (compounds.size() == 1) {
            return compound(compounds.get(0));
        }
        if (stores.size() == 1) {
            return ofGroup(stores.get(0));
        }
        throw new EventFileException(file + ": " + pathOf(group) + " holds no table (a 1-D compound dataset,"
                + " 1-D datasets as columns, a 2-D dataset with column names, or a pandas store); it holds: "
                + describe(group));
    }

    private List<Hdf5Column> pandas(Group group, String pandasType) throws EventFileException {
        if (pandasType.equals("frame_table")) {
            if (group.getChild("table") instanceof Dataset table && table.isCompound()) {
                return compound(table);
            }
            throw new EventFileException(file + ": " + pathOf(group) + " is a pandas table store without a"
                    + " compound dataset 'table'; it holds: " + describe(group));
        }
        if (!pandasType.equals("frame")) {
            throw new EventFileException(file + ": " + pathOf(group) + " is a pandas '" + pandasType
                    + "', not a data frame (pandas_type 'frame' or 'frame_table')");
        }
        List<Hdf5Column> columns = new ArrayList<>();
        for (int block = 0; group.getChild("block" + block + "_items") != null; block++) {
            Dataset values = (Dataset) group.getChild("block" + block + "_values");
            List<String> items = names((Dataset) group.getChild("block" + block + "_items"));
            // Text columns of a fixed store are pickled Python objects (a 1-D VLARRAY): not readable here.
            if (values.getDimensions().length == 2) {
                columns.addAll(matrix(values, items));
            }
        }
        List<String> order = names((Dataset) group.getChild("axis0"));
        columns.sort((a, b) -> Integer.compare(order.indexOf(a.name()), order.indexOf(b.name())));
        return columns;
    }

    private List<Hdf5Column> compound(Dataset dataset) {
        List<Hdf5Column> columns = new ArrayList<>();
        // PyTables marks a pandas index field with index_kind; it numbers rows and is no column.
        boolean pandasIndex = dataset.getAttribute("index_kind") != null;
        for (CompoundDataType.CompoundDataMember member : ((CompoundDataType) dataset.getDataType()).getMembers()) {
            String field = member.getName();
            Class<?> type = member.getDataType().getJavaType();
            int[] size = member.getDimensionSize();
            // PyTables writes array fields as HDF5 array types; h5py's older files as member dimensions.
            if (member.getDataType() instanceof ArrayDataType array) {
                type = array.getBaseType().getJavaType();
                size = array.getArrayTypeDimensions();
            }
            if (size == null || size.length == 0) {
                if (!(pandasIndex && field.equals("index"))) {
                    columns.add(new Hdf5Column(field, type, dataset, field, -1));
                }
                continue;
            }
            // Other array-valued fields would be several columns under one name; they are not columns.
            Optional<List<String>> names = text(dataset.getAttribute(field + "_kind")).flatMap(PickledNames::parse);
            if (size.length == 1 && names.isPresent() && names.get().size() == size[0]) {
                for (int k = 0; k < size[0]; k++) {
                    columns.add(new Hdf5Column(names.get().get(k), type, dataset, field, k));
                }
            }
        }
        return columns;
    }

    private static List<Hdf5Column> matrix(Dataset dataset, List<String> names) {
        List<Hdf5Column> columns = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            columns.add(new Hdf5Column(names.get(k), dataset.getJavaType(), dataset, null, k));
        }
        return columns;
    }

    /** Names of a 2-D dataset's columns: a string-array attribute, or a 1-D string dataset beside it. */
    private Optional<ColumnNames> matrixNames(Dataset dataset) throws EventFileException {
        int width = dataset.getDimensions()[1];
        for (String attribute : NAME_ATTRIBUTES) {
            Attribute a = dataset.getAttribute(attribute);
            if (a != null && a.getData() instanceof String[] names && names.length == width) {
                return Optional.of(new ColumnNames(null, List.of(names)));
            }
        }
        List<String> candidates = new ArrayList<>();
        candidates.add(dataset.getName() + "_names");
        if (dataset.getName().endsWith("s")) {
            candidates.add(dataset.getName().substring(0, dataset.getName().length() - 1) + "_names");
        }
        candidates.addAll(NAME_DATASETS);
        for (String candidate : candidates) {
            if (dataset.getParent().getChild(candidate) instanceof Dataset d && d.getDimensions().length == 1
                    && d.getDimensions()[0] == width && d.getJavaType() == String.class) {
                return Optional.of(new ColumnNames(candidate, names(d)));
            }
        }
        return Optional.empty();
    }

    /** The values of a 1-D dataset of names, as text: pandas writes integer column names as integers. */
    private List<String> names(Dataset dataset) throws EventFileException {
        checkFilters(dataset);
        Object values = dataset.getData();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < Array.getLength(values); i++) {
            names.add(String.valueOf(Array.get(values, i)));
        }
        return names;
    }

    private void checkFilters(Dataset dataset) throws EventFileException {
        try {
            dataset.getFilters();
        } catch (HdfFilterException e) {
            List<String> unknown = new ArrayList<>();
            FilterPipelineMessage pipeline = ((AbstractNode) dataset).getHeader()
                    .getMessageOfType(FilterPipelineMessage.class);
            for (FilterPipelineMessage.FilterInfo filter : pipeline.getFilters()) {
                if (!DECODABLE_FILTERS.contains(filter.getId())) {
                    unknown.add("'" + filter.getName() + "' (id " + filter.getId() + ")");
                }
            }
            throw new EventFileException(file + ": dataset " + dataset.getPath() + " is compressed with HDF5 filter "
                    + String.join(", ", unknown) + ", which jHDF cannot decode; write it with gzip (pandas"
                    + " complib='zlib'), lzf or no compression", e);
        }
    }

    /** The group's path as users write it: jHDF ends group paths with a slash. */
    private static String pathOf(Group group) {
        String path = group.getPath();
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Optional<String> text(Attribute attribute) {
        return attribute != null && attribute.getData() instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** Column names and the dataset beside the 2-D one that held them, or null for an attribute. */
    private record ColumnNames(String dataset, List<String> names) {
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
}
