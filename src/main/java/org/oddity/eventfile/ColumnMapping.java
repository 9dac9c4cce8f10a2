package org.oddity.eventfile;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which columns of a CSV or HDF5 table become which parts of a {@code CollisionEvent}.
 *
 * <p>Unmapped ids get generated values: the run is {@code defaultRun}, the lumisection 1, the
 * event number the 1-based data row, the timestamp {@code fallbackTimestampNanos}. Run
 * conditions come from columns or from constants, so that a data set without run conditions
 * can still be placed in a calibration cell. Conditions other than pileup, instLumi and
 * detectorState go into {@code RunConditions.extra}. With no feature columns given, every
 * remaining numeric column is a feature, in file order.
 *
 * @param runColumn              column of run numbers, or null
 * @param defaultRun             run number when there is no run column
 * @param lumisectionColumn      column of lumisections, or null
 * @param eventColumn            column of event numbers, or null
 * @param timestampColumn        column of event times, or null
 * @param timestampUnit          unit of the timestamp column
 * @param fallbackTimestampNanos event time when there is no timestamp column
 * @param conditionColumns       run-condition field to column
 * @param constantConditions     run-condition field to the value every event gets
 * @param featureColumns         feature columns in vector order; empty for every remaining numeric column
 * @param labelColumn            column of truth labels, or null
 * @param layout                 feature layout name, or null to derive it from the feature names
 * @param dataset                HDF5 path of the table, in any layout {@code Hdf5Layout} reads
 */
public record ColumnMapping(
        String runColumn,
        long defaultRun,
        String lumisectionColumn,
        String eventColumn,
        String timestampColumn,
        TimestampUnit timestampUnit,
        long fallbackTimestampNanos,
        Map<String, String> conditionColumns,
        Map<String, String> constantConditions,
        List<String> featureColumns,
        String labelColumn,
        String layout,
        String dataset) {

    /** Run-condition field holding the mean pileup. */
    public static final String PILEUP = "pileup";
    /** Run-condition field holding the instantaneous luminosity. */
    public static final String INST_LUMI = "instLumi";
    /** Run-condition field holding the detector state. */
    public static final String DETECTOR_STATE = "detectorState";
    /** Where an HDF5 table is looked for when no dataset is named. */
    public static final String ROOT = "/";

    private static final List<String> NAMED_CONDITIONS = List.of(PILEUP, INST_LUMI, DETECTOR_STATE);

    /** The unit of a timestamp column. */
    public enum TimestampUnit {
        /** Integer nanoseconds since the Unix epoch. */
        NANOSECONDS,
        /** Seconds since the Unix epoch, possibly with a fraction. */
        SECONDS
    }

    /** Checks the mapping; throws {@link IllegalArgumentException} naming what is inconsistent. */
    public ColumnMapping {
        Objects.requireNonNull(timestampUnit, "timestampUnit");
        Objects.requireNonNull(dataset, "dataset");
        conditionColumns = Map.copyOf(conditionColumns);
        constantConditions = Map.copyOf(constantConditions);
        featureColumns = List.copyOf(featureColumns);
        for (String field : conditionColumns.keySet()) {
            checkField(field);
            if (constantConditions.containsKey(field)) {
                throw new IllegalArgumentException("condition " + field
                        + " is given both as a column and as a constant");
            }
        }
        for (Map.Entry<String, String> constant : constantConditions.entrySet()) {
            checkField(constant.getKey());
            if (isNumeric(constant.getKey())) {
                try {
                    NumberText.parseFloat(constant.getValue());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("constant " + constant.getKey() + ": " + e.getMessage(), e);
                }
            }
        }
        Set<String> seen = new HashSet<>();
        for (String column : featureColumns) {
            if (!seen.add(column)) {
                throw new IllegalArgumentException("feature column " + column + " is listed twice");
            }
        }
        if (layout != null && layout.isBlank()) {
            throw new IllegalArgumentException("a feature layout name must not be blank");
        }
    }

    private static void checkField(String field) {
        if (field.isBlank()) {
            throw new IllegalArgumentException("a run-condition field name must not be blank");
        }
        for (String named : NAMED_CONDITIONS) {
            // A near miss would silently land in the free extra conditions, where no cell looks.
            if (!named.equals(field) && named.toLowerCase(Locale.ROOT).equals(field.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("run-condition field " + field + " is spelled " + named);
            }
        }
    }

    /** Whether run-condition {@code field} holds a number (pileup, instLumi) rather than text. */
    static boolean isNumeric(String field) {
        return field.equals(PILEUP) || field.equals(INST_LUMI);
    }

    /** A builder starting from no mapped columns, run 1, timestamp 0 and the HDF5 root group. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a mapping field by field; {@link #build()} checks it. */
    public static final class Builder {

        private String runColumn;
        private long defaultRun = 1;
        private String lumisectionColumn;
        private String eventColumn;
        private String timestampColumn;
        private TimestampUnit timestampUnit = TimestampUnit.NANOSECONDS;
        private long fallbackTimestampNanos;
        private final Map<String, String> conditionColumns = new LinkedHashMap<>();
        private final Map<String, String> constantConditions = new LinkedHashMap<>();
        private final List<String> featureColumns = new ArrayList<>();
        private String labelColumn;
        private String layout;
        private String dataset = ROOT;

        private Builder() {
        }

        public Builder runColumn(String column) {
            this.runColumn = column;
            return this;
        }

        public Builder defaultRun(long run) {
            this.defaultRun = run;
            return this;
        }

        public Builder lumisectionColumn(String column) {
            this.lumisectionColumn = column;
            return this;
        }

        public Builder eventColumn(String column) {
            this.eventColumn = column;
            return this;
        }

        /** Event times from {@code column}, in {@code unit}. */
        public Builder timestampColumn(String column, TimestampUnit unit) {
            this.timestampColumn = column;
            this.timestampUnit = unit;
            return this;
        }

        public Builder fallbackTimestampNanos(long nanos) {
            this.fallbackTimestampNanos = nanos;
            return this;
        }

        /** Run-condition {@code field} from {@code column}. */
        public Builder condition(String field, String column) {
            conditionColumns.put(field, column);
            return this;
        }

        /** Run-condition {@code field} is {@code value} for every event. */
        public Builder constantCondition(String field, String value) {
            constantConditions.put(field, value);
            return this;
        }

        /** Feature columns in vector order; none means every remaining numeric column. */
        public Builder featureColumns(List<String> columns) {
            featureColumns.clear();
            featureColumns.addAll(columns);
            return this;
        }

        public Builder labelColumn(String column) {
            this.labelColumn = column;
            return this;
        }

        public Builder layout(String name) {
            this.layout = name;
            return this;
        }

        public Builder dataset(String path) {
            this.dataset = path;
            return this;
        }

        /** The mapping; {@link IllegalArgumentException} if it is inconsistent. */
        public ColumnMapping build() {
            return new ColumnMapping(runColumn, defaultRun, lumisectionColumn, eventColumn, timestampColumn,
                    timestampUnit, fallbackTimestampNanos, conditionColumns, constantConditions, featureColumns,
                    labelColumn, layout, dataset);
        }
    }
}
