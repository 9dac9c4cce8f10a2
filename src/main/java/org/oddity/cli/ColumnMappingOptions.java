package org.oddity.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.oddity.config.InvalidSettingException;
import org.oddity.eventfile.ColumnMapping.TimestampUnit;
import org.oddity.eventfile.ColumnMapping;
import picocli.CommandLine.Option;

/** Flags that say which columns of a CSV or HDF5 table are which event fields; part of {@link EventFileOptions}. */
final class ColumnMappingOptions {

    @Option(names = "--run-column", paramLabel = "COLUMN",
            description = "Column of run numbers (default: every event gets --default-run).")
    String runColumn;

    @Option(names = "--default-run", defaultValue = "1", paramLabel = "RUN",
            description = "Run number of every event when there is no run column (default ${DEFAULT-VALUE}).")
    long defaultRun;

    @Option(names = "--lumisection-column", paramLabel = "COLUMN",
            description = "Column of lumisection numbers (default: lumisection 1).")
    String lumisectionColumn;

    @Option(names = "--event-column", paramLabel = "COLUMN",
            description = "Column of event numbers (default: the data row, counted from 1).")
    String eventColumn;

    @Option(names = "--timestamp-nanos-column", paramLabel = "COLUMN",
            description = "Column of event times in integer nanoseconds since the Unix epoch.")
    String timestampNanosColumn;

    @Option(names = "--timestamp-seconds-column", paramLabel = "COLUMN",
            description = "Column of event times in seconds since the Unix epoch, fractions allowed"
                    + " (default for both: the time the file is opened).")
    String timestampSecondsColumn;

    @Option(names = "--condition", paramLabel = "FIELD=COLUMN",
            description = "Run condition from a column; FIELD is pileup, instLumi, detectorState or any other name"
                    + " (kept in the event's extra conditions). Repeatable.")
    Map<String, String> conditions = new LinkedHashMap<>();

    @Option(names = "--constant-condition", paramLabel = "FIELD=VALUE",
            description = "Run condition that every event gets, e.g. detectorState=ALL_IN or pileup=30, for data"
                    + " without that condition; calibration cells need pileup and detectorState. Repeatable.")
    Map<String, String> constants = new LinkedHashMap<>();

    @Option(names = "--feature-columns", split = ",", paramLabel = "COLUMN",
            description = "Feature columns, in model order (default: every numeric column not mapped otherwise,"
                    + " in file order).")
    List<String> featureColumns = new ArrayList<>();

    @Option(names = "--label-column", paramLabel = "COLUMN",
            description = "Column of truth labels; an empty cell means no label.")
    String labelColumn;

    @Option(names = "--layout", paramLabel = "NAME",
            description = "Feature layout name (default: table: and a digest of the feature names).")
    String layout;

    @Option(names = "--dataset", defaultValue = ColumnMapping.ROOT, paramLabel = "PATH",
            description = "HDF5 only: the table, a compound dataset, a group of 1-D datasets, a pandas store"
                    + " (fixed or table) or a 2-D dataset with a names dataset beside it (default ${DEFAULT-VALUE}).")
    String dataset;

    /** Names of the mapping flags given on the command line, which only a table file can use. */
    List<String> givenFlags() {
        List<String> given = new ArrayList<>();
        addIf(given, runColumn != null, "--run-column");
        addIf(given, lumisectionColumn != null, "--lumisection-column");
        addIf(given, eventColumn != null, "--event-column");
        addIf(given, timestampNanosColumn != null, "--timestamp-nanos-column");
        addIf(given, timestampSecondsColumn != null, "--timestamp-seconds-column");
        addIf(given, !conditions.isEmpty(), "--condition");
        addIf(given, !constants.isEmpty(), "--constant-condition");
        addIf(given, !featureColumns.isEmpty(), "--feature-columns");
        addIf(given, labelColumn != null, "--label-column");
        addIf(given, layout != null, "--layout");
        addIf(given, !dataset.equals(ColumnMapping.ROOT), "--dataset");
        return given;
    }

    private static void addIf(List<String> flags, boolean given, String flag) {
        if (given) {
            flags.add(flag);
        }
    }

    /**
     * The mapping these flags describe; an inconsistent one stops with {@link InvalidSettingException}
     * naming the flag.
     *
     * @param fallbackTimestampNanos event time of every event when no timestamp column is given
     */
    ColumnMapping mapping(long fallbackTimestampNanos) {
        // Each flag is checked alone first, so the message can name the flag that is wrong.
        conditions.forEach((field, column) -> checked("--condition", field + "=" + column,
                () -> ColumnMapping.builder().condition(field, column).build()));
        constants.forEach((field, value) -> checked("--constant-condition", field + "=" + value,
                () -> ColumnMapping.builder().constantCondition(field, value).build()));
        checked("--feature-columns", String.join(",", featureColumns),
                () -> ColumnMapping.builder().featureColumns(featureColumns).build());
        checked("--layout", layout, () -> ColumnMapping.builder().layout(layout).build());
        if (timestampNanosColumn != null && timestampSecondsColumn != null) {
            throw new InvalidSettingException("--timestamp-seconds-column", timestampSecondsColumn,
                    "give either --timestamp-nanos-column or --timestamp-seconds-column, not both");
        }
        ColumnMapping.Builder builder = ColumnMapping.builder()
                .runColumn(runColumn)
                .defaultRun(defaultRun)
                .lumisectionColumn(lumisectionColumn)
                .eventColumn(eventColumn)
                .fallbackTimestampNanos(fallbackTimestampNanos)
                .featureColumns(featureColumns)
                .labelColumn(labelColumn)
                .layout(layout)
                .dataset(dataset);
        if (timestampNanosColumn != null) {
            builder.timestampColumn(timestampNanosColumn, TimestampUnit.NANOSECONDS);
        } else if (timestampSecondsColumn != null) {
            builder.timestampColumn(timestampSecondsColumn, TimestampUnit.SECONDS);
        }
        conditions.forEach(builder::condition);
        constants.forEach(builder::constantCondition);
        // What is left to fail is a field given both as a column and as a constant.
        return checked("--constant-condition", constants.toString(), builder::build);
    }

    private static ColumnMapping checked(String flag, String value, Supplier<ColumnMapping> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(flag, value, e.getMessage());
        }
    }
}
