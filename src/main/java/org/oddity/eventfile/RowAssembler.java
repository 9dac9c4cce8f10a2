package org.oddity.eventfile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FeatureVector;
import org.oddity.avro.RunConditions;

/**
 * A {@link ColumnMapping} resolved against one table's column names: turns each row into a
 * {@code CollisionEvent} with a flat feature vector. Column names are looked up once, when the
 * file is opened, so a misspelt column fails before any row is read.
 */
final class RowAssembler {

    private static final int NO_COLUMN = -1;
    private static final int FIRST_LUMISECTION = 1;

    private final Path file;
    private final ColumnMapping mapping;
    private final List<String> columns;
    private final int run;
    private final int lumisection;
    private final int event;
    private final int timestamp;
    private final int pileup;
    private final int instLumi;
    private final int detectorState;
    private final Map<String, Integer> extraColumns = new LinkedHashMap<>();
    private final int label;
    private final int[] features;
    private final FeatureLayout layout;
    private final Float constantPileup;
    private final Float constantInstLumi;
    private final Map<String, String> constantExtra = new HashMap<>();

    /**
     * Resolves {@code mapping} against {@code columns} of {@code file}.
     *
     * @param numeric which columns count as numeric when features are "every remaining numeric column"
     */
    RowAssembler(Path file, ColumnMapping mapping, List<String> columns, IntPredicate numeric)
            throws EventFileException {
        this.file = file;
        this.mapping = mapping;
        this.columns = List.copyOf(columns);
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            Integer earlier = index.putIfAbsent(columns.get(c), c);
            if (earlier != null) {
                throw new EventFileException(file + ": column '" + columns.get(c) + "' appears twice (columns "
                        + (earlier + 1) + " and " + (c + 1) + ")");
            }
        }
        run = find(index, mapping.runColumn(), "run");
        lumisection = find(index, mapping.lumisectionColumn(), "lumisection");
        event = find(index, mapping.eventColumn(), "event");
        timestamp = find(index, mapping.timestampColumn(), "timestamp");
        label = find(index, mapping.labelColumn(), "label");
        Map<String, String> conditionColumns = mapping.conditionColumns();
        pileup = find(index, conditionColumns.get(ColumnMapping.PILEUP), "condition " + ColumnMapping.PILEUP);
        instLumi = find(index, conditionColumns.get(ColumnMapping.INST_LUMI), "condition " + ColumnMapping.INST_LUMI);
        detectorState = find(index, conditionColumns.get(ColumnMapping.DETECTOR_STATE),
                "condition " + ColumnMapping.DETECTOR_STATE);
        for (Map.Entry<String, String> c : conditionColumns.entrySet()) {
            if (!isNamedCondition(c.getKey())) {
                extraColumns.put(c.getKey(), find(index, c.getValue(), "condition " + c.getKey()));
            }
        }
        Map<String, String> constants = mapping.constantConditions();
        constantPileup = constants.containsKey(ColumnMapping.PILEUP)
                ? NumberText.parseFloat(constants.get(ColumnMapping.PILEUP)) : null;
        constantInstLumi = constants.containsKey(ColumnMapping.INST_LUMI)
                ? NumberText.parseFloat(constants.get(ColumnMapping.INST_LUMI)) : null;
        constants.forEach((field, value) -> {
            if (!isNamedCondition(field)) {
                constantExtra.put(field, value);
            }
        });

        List<String> featureNames = featureNames(index, numeric);
        features = new int[featureNames.size()];
        for (int f = 0; f < features.length; f++) {
            features[f] = index.get(featureNames.get(f));
        }
        layout = new FeatureLayout(mapping.layout() != null ? mapping.layout()
                : FeatureLayout.derivedName(featureNames), featureNames);
    }

    /** The mapping's feature columns, or every numeric column that has no other role. */
    private List<String> featureNames(Map<String, Integer> index, IntPredicate numeric) throws EventFileException {
        if (!mapping.featureColumns().isEmpty()) {
            for (String name : mapping.featureColumns()) {
                find(index, name, "feature");
            }
            return mapping.featureColumns();
        }
        List<Integer> mapped = mappedColumns();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            // A blank name is the index column pandas writes by default, not a measurement.
            if (!mapped.contains(c) && !columns.get(c).isBlank() && numeric.test(c)) {
                names.add(columns.get(c));
            }
        }
        if (names.isEmpty()) {
            throw new EventFileException(file + " has no feature columns: every numeric column is mapped to an id,"
                    + " a condition or the label; its columns: " + String.join(", ", columns));
        }
        return names;
    }

    private static boolean isNamedCondition(String field) {
        return field.equals(ColumnMapping.PILEUP) || field.equals(ColumnMapping.INST_LUMI)
                || field.equals(ColumnMapping.DETECTOR_STATE);
    }

    private int find(Map<String, Integer> index, String column, String role) throws MissingColumnException {
        if (column == null) {
            return NO_COLUMN;
        }
        Integer c = index.get(column);
        if (c == null) {
            throw new MissingColumnException(file, column, role, columns);
        }
        return c;
    }

    /** The feature vectors' layout and names. */
    FeatureLayout layout() {
        return layout;
    }

    /** Columns holding ids, conditions or the label. */
    private List<Integer> mappedColumns() {
        List<Integer> mapped = new ArrayList<>(List.of(run, lumisection, event, timestamp, pileup, instLumi,
                detectorState, label));
        mapped.addAll(extraColumns.values());
        mapped.removeIf(c -> c == NO_COLUMN);
        return mapped;
    }

    /** Indices of every column a row is read from, ascending. */
    int[] usedColumns() {
        return IntStream.concat(mappedColumns().stream().mapToInt(Integer::intValue), IntStream.of(features))
                .distinct().sorted().toArray();
    }

    /**
     * The event of {@code row}.
     *
     * @param dataRow  0-based index of the row among the data rows, bad ones included
     * @param position where the row is, for messages
     */
    CollisionEvent assemble(TableRow row, long dataRow, String position) {
        CollisionEvent e = new CollisionEvent();
        e.setRun(run == NO_COLUMN ? mapping.defaultRun() : integer(row, run, position));
        e.setLumisection(lumisection == NO_COLUMN ? FIRST_LUMISECTION : lumisection(row, position));
        e.setEvent(event == NO_COLUMN ? dataRow + 1 : integer(row, event, position));
        e.setTimestampNanos(timestamp == NO_COLUMN ? mapping.fallbackTimestampNanos() : timestamp(row, position));
        e.setBunchCrossing(0);
        e.setConditions(conditions(row, position));
        List<Float> values = new ArrayList<>(features.length);
        for (int f : features) {
            values.add(number(row, f, position));
        }
        e.setFeatures(new FeatureVector(layout.name(), values));
        e.setTruth(label == NO_COLUMN || row.isEmpty(label) ? null : row.text(label));
        return e;
    }

    private RunConditions conditions(TableRow row, String position) {
        RunConditions c = new RunConditions();
        c.setPileup(pileup == NO_COLUMN ? constantPileup : optionalNumber(row, pileup, position));
        c.setInstLumi(instLumi == NO_COLUMN ? constantInstLumi : optionalNumber(row, instLumi, position));
        c.setDetectorState(detectorState == NO_COLUMN
                ? mapping.constantConditions().get(ColumnMapping.DETECTOR_STATE) : optionalText(row, detectorState));
        if (extraColumns.isEmpty() && constantExtra.isEmpty()) {
            c.setExtra(Map.of());
        } else {
            Map<String, String> extra = new HashMap<>(constantExtra);
            extraColumns.forEach((field, column) -> {
                String value = optionalText(row, column);
                if (value != null) {
                    extra.put(field, value);
                }
            });
            c.setExtra(extra);
        }
        return c;
    }

    private static String optionalText(TableRow row, int column) {
        return row.isEmpty(column) ? null : row.text(column);
    }

    private Float optionalNumber(TableRow row, int column, String position) {
        return row.isEmpty(column) ? null : number(row, column, position);
    }

    private float number(TableRow row, int column, String position) {
        try {
            return row.floatValue(column);
        } catch (NumberFormatException e) {
            throw notANumber(column, position, e);
        }
    }

    private long integer(TableRow row, int column, String position) {
        try {
            return row.longValue(column);
        } catch (NumberFormatException e) {
            throw notANumber(column, position, e);
        }
    }

    private int lumisection(TableRow row, String position) {
        long value = integer(row, lumisection, position);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw notANumber(lumisection, position,
                    new NumberFormatException(value + " is not a lumisection (0 to " + Integer.MAX_VALUE + ")"));
        }
        return (int) value;
    }

    private long timestamp(TableRow row, String position) {
        try {
            return mapping.timestampUnit() == ColumnMapping.TimestampUnit.SECONDS ? row.secondsAsNanos(timestamp)
                    : row.longValue(timestamp);
        } catch (NumberFormatException e) {
            throw notANumber(timestamp, position, e);
        }
    }

    private BadRowException notANumber(int column, String position, NumberFormatException e) {
        return new BadRowException(file, position, BadRowException.Reason.NOT_A_NUMBER,
                "column '" + columns.get(column) + "': " + e.getMessage());
    }
}
