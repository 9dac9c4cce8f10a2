package org.oddity.eventfile;

import io.jhdf.api.Dataset;
import java.lang.reflect.Array;
import java.util.Map;

/**
 * Where a column of an HDF5 table lives: a whole 1-D dataset, a field of a compound dataset, one
 * element of an array-valued field (pandas' {@code values_block_0}), or one column of a 2-D
 * dataset.
 *
 * @param name    column name
 * @param type    Java type of its values
 * @param dataset dataset holding it
 * @param field   compound field, or null
 * @param element element of an array field or column of a 2-D dataset, or -1 for the whole
 */
record Hdf5Column(String name, Class<?> type, Dataset dataset, String field, int element) {

    /** The column's values, one per row, from what jHDF returned for rows of its dataset. */
    Object values(Object data) {
        Object values = field == null ? data : ((Map<?, ?>) data).get(field);
        return element < 0 ? values : elementOf((Object[]) values, element);
    }

    private static Object elementOf(Object[] rows, int element) {
        Object column = Array.newInstance(rows.getClass().getComponentType().getComponentType(), rows.length);
        if (column instanceof double[] d) {
            for (int r = 0; r < rows.length; r++) {
                d[r] = ((double[]) rows[r])[element];
            }
        } else {
            for (int r = 0; r < rows.length; r++) {
                Array.set(column, r, Array.get(rows[r], element));
            }
        }
        return column;
    }
}
