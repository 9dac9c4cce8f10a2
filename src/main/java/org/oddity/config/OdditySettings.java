package org.oddity.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.oddity.calibrate.CellDimension;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.NumericBins;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.StateBins;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;
import org.oddity.monitor.Correction;
import org.oddity.monitor.MonitorSettings;
import org.oddity.monitor.SummaryLayout;

/**
 * Every setting, typed and checked once at start-up; see {@code oddity-defaults.properties}
 * for what each one means.
 */
public record OdditySettings(
        String bootstrapServers,
        String applicationId,
        String topicPrefix,
        int topicPartitions,
        Path modelBundle,
        WorkingPoints workingPoints,
        CellScheme cells,
        int calibrationMinSize,
        int calibrationSketchK,
        OnlineCalibrationSettings onlineCalibration,
        MonitoringSettings monitoring,
        PValueMode pValueMode,
        long pValueSeed,
        int streamsThreads,
        String processingGuarantee,
        Path workDir,
        int topFeatures,
        MetricsSettings metrics) {

    /**
     * Most scores one calibration snapshot may carry: 8 bytes each, it must stay below Kafka's
     * default 1 MB record size.
     */
    public static final int MAX_SNAPSHOT_SCORES = 120_000;

    /** Parses and validates {@code source}; throws {@link InvalidSettingException} naming the first bad key. */
    public static OdditySettings from(SettingsSource source) {
        String bootstrap = source.get("bootstrap.servers");
        if (!bootstrap.isEmpty() && !bootstrap.matches("[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}(,[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5})*")) {
            throw new InvalidSettingException("bootstrap.servers", bootstrap, "expected host:port[,host:port...]");
        }
        String applicationId = source.get("application.id");
        if (!applicationId.matches("[A-Za-z0-9._\\-]{1,200}")) {
            throw new InvalidSettingException("application.id", applicationId,
                    "expected 1 to 200 letters, digits, '.', '_' or '-'");
        }
        String prefix = source.get("topics.prefix");
        if (!prefix.matches("[A-Za-z0-9._\\-]{0,100}")) {
            throw new InvalidSettingException("topics.prefix", prefix,
                    "expected up to 100 letters, digits, '.', '_' or '-'");
        }
        int partitions = intIn(source, "topics.partitions", 1, 1000);
        String bundle = source.get("model.bundle");
        WorkingPoints workingPoints = workingPoints(source.get("working-points"));
        CellScheme cells = cells(source);
        int minSize = intIn(source, "calibration.min-size", 0, Integer.MAX_VALUE);
        int sketchK = intIn(source, "calibration.sketch-k", 0, 1024);
        if (sketchK != 0 && (sketchK < 4 || sketchK % 2 != 0)) {
            throw new InvalidSettingException("calibration.sketch-k", source.get("calibration.sketch-k"),
                    "expected 0 (exact sets) or an even number in [4, 1024]");
        }
        OnlineCalibrationSettings online = onlineCalibration(source);
        MonitoringSettings monitoring = monitoring(source);
        PValueMode mode;
        try {
            mode = PValueMode.valueOf(source.get("pvalue.mode").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("pvalue.mode", source.get("pvalue.mode"),
                    "expected conservative or randomized");
        }
        long seed;
        try {
            seed = Long.parseLong(source.get("pvalue.seed"));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("pvalue.seed", source.get("pvalue.seed"), "expected a 64-bit integer");
        }
        int threads = intIn(source, "streams.threads", 1, 64);
        String guarantee = source.get("streams.processing-guarantee");
        if (!guarantee.equals("at_least_once") && !guarantee.equals("exactly_once_v2")) {
            throw new InvalidSettingException("streams.processing-guarantee", guarantee,
                    "expected at_least_once or exactly_once_v2");
        }
        String workDir = source.get("work.dir");
        if (workDir.isEmpty()) {
            throw new InvalidSettingException("work.dir", workDir, "expected a directory path");
        }
        int topFeatures = intIn(source, "flags.top-features", 0, 1000);
        return new OdditySettings(bootstrap, applicationId, prefix, partitions,
                bundle.isEmpty() ? null : Path.of(bundle), workingPoints, cells, minSize, sketchK, online, monitoring, mode,
                seed,
                threads, guarantee, Path.of(workDir), topFeatures, metrics(source));
    }

    /** A copy with {@code bootstrapServers} replaced, e.g. by a local broker's address. */
    public OdditySettings withBootstrapServers(String servers) {
        return new OdditySettings(servers, applicationId, topicPrefix, topicPartitions, modelBundle, workingPoints,
                cells, calibrationMinSize, calibrationSketchK, onlineCalibration, monitoring, pValueMode, pValueSeed, streamsThreads,
                processingGuarantee, workDir, topFeatures, metrics);
    }

    /** A copy with {@code applicationId} replaced, e.g. by one of a single run's own. */
    public OdditySettings withApplicationId(String id) {
        return new OdditySettings(bootstrapServers, id, topicPrefix, topicPartitions, modelBundle, workingPoints,
                cells, calibrationMinSize, calibrationSketchK, onlineCalibration, monitoring, pValueMode, pValueSeed, streamsThreads,
                processingGuarantee, workDir, topFeatures, metrics);
    }

    /** A copy with {@code modelBundle} replaced. */
    public OdditySettings withModelBundle(Path bundle) {
        return new OdditySettings(bootstrapServers, applicationId, topicPrefix, topicPartitions, bundle, workingPoints,
                cells, calibrationMinSize, calibrationSketchK, onlineCalibration, monitoring, pValueMode, pValueSeed, streamsThreads,
                processingGuarantee, workDir, topFeatures, metrics);
    }

    /** A copy with {@code monitoring} replaced. */
    public OdditySettings withMonitoring(MonitoringSettings next) {
        return new OdditySettings(bootstrapServers, applicationId, topicPrefix, topicPartitions, modelBundle,
                workingPoints, cells, calibrationMinSize, calibrationSketchK, onlineCalibration, next, pValueMode, pValueSeed,
                streamsThreads, processingGuarantee, workDir, topFeatures, metrics);
    }

    /** Smallest calibration set each working point may use, loosest first. */
    public int[] minimumCalibrationSizes() {
        return workingPoints.minimumSizes(calibrationMinSize);
    }

    private static OnlineCalibrationSettings onlineCalibration(SettingsSource source) {
        String enabled = source.get("calibration.online.enabled");
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new InvalidSettingException("calibration.online.enabled", enabled, "expected true or false");
        }
        return new OnlineCalibrationSettings(enabled.equals("true"),
                intIn(source, "calibration.online.reservoir-size", 1, MAX_SNAPSHOT_SCORES),
                Durations.parseOrZero("calibration.online.window", source.get("calibration.online.window")),
                Durations.parse("calibration.online.publish-interval",
                        source.get("calibration.online.publish-interval")),
                Durations.parseOrZero("calibration.max-age", source.get("calibration.max-age")));
    }

    private static MonitoringSettings monitoring(SettingsSource source) {
        String enabled = source.get("monitor.enabled");
        if (!enabled.equals("true") && !enabled.equals("false")) {
            throw new InvalidSettingException("monitor.enabled", enabled, "expected true or false");
        }
        Correction correction;
        switch (source.get("monitor.correction")) {
            case "benjamini-hochberg" -> correction = Correction.BENJAMINI_HOCHBERG;
            case "bonferroni" -> correction = Correction.BONFERRONI;
            default -> throw new InvalidSettingException("monitor.correction", source.get("monitor.correction"),
                    "expected benjamini-hochberg or bonferroni");
        }
        MonitorSettings tests = new MonitorSettings(
                realIn(source, "monitor.false-discovery-rate", 0, 1),
                correction,
                realIn(source, "monitor.tolerated-input-error-rate", -Double.MIN_VALUE, 1),
                intIn(source, "monitor.quiet-windows", 1, 1000),
                realIn(source, "monitor.cusum-k", -Double.MIN_VALUE, 100),
                realIn(source, "monitor.cusum-h", 0, 1000),
                realIn(source, "monitor.critical-p-value", 0, 1),
                intIn(source, "monitor.top-features", 0, 1000));
        return new MonitoringSettings(enabled.equals("true"),
                Durations.parse("monitor.window", source.get("monitor.window")),
                intIn(source, "monitor.grace-windows", 0, 100),
                Durations.parse("monitor.idle-flush", source.get("monitor.idle-flush")),
                intIn(source, "monitor.p-value-bins", 2, SummaryLayout.MAX_P_VALUE_BINS),
                tests);
    }

    /** A real number in (minExclusive, maxExclusive). */
    private static double realIn(SettingsSource source, String key, double minExclusive, double maxExclusive) {
        String raw = source.get(key);
        try {
            double v = Double.parseDouble(raw.trim());
            if (v > minExclusive && v < maxExclusive) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException(key, raw, "expected a number in " + (minExclusive < 0 ? "[0" : "(" + minExclusive)
                + ", " + maxExclusive + ")");
    }

    private static MetricsSettings metrics(SettingsSource source) {
        String host = source.get("metrics.host");
        if (!host.matches("[A-Za-z0-9.\\-:]{1,253}")) {
            throw new InvalidSettingException("metrics.host", host,
                    "expected a host name or IP address, e.g. 127.0.0.1, or 0.0.0.0 for every interface");
        }
        return new MetricsSettings(host, intIn(source, "metrics.port", 0, 65_535),
                Durations.parse("metrics.latency.interval", source.get("metrics.latency.interval")),
                intIn(source, "metrics.latency.sample-every", 1, 1_000_000));
    }

    private static int intIn(SettingsSource source, String key, int min, int max) {
        String raw = source.get(key);
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new InvalidSettingException(key, raw, "expected an integer in [" + min + ", " + max + "]");
    }

    private static WorkingPoints workingPoints(String raw) {
        String expected = "expected name:alpha pairs separated by ',', alpha in (0, 1), distinct names and alphas,"
                + " e.g. loose:1e-2,tight:1e-4";
        List<WorkingPoint> points = new ArrayList<>();
        for (String part : raw.split(",")) {
            String[] nameAlpha = part.trim().split(":");
            if (nameAlpha.length != 2 || !nameAlpha[0].trim().matches("[A-Za-z0-9_\\-]+")) {
                throw new InvalidSettingException("working-points", raw, expected);
            }
            try {
                points.add(new WorkingPoint(nameAlpha[0].trim(), Double.parseDouble(nameAlpha[1].trim())));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("working-points", raw, expected);
            }
        }
        try {
            return new WorkingPoints(points);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("working-points", raw, expected);
        }
    }

    private static CellScheme cells(SettingsSource source) {
        String dimensionsRaw = source.get("cells.dimensions");
        List<CellDimension> dims = new ArrayList<>();
        if (!dimensionsRaw.isBlank()) {
            for (String part : dimensionsRaw.split(";")) {
                CellDimension d = dimension(dimensionsRaw, part.trim());
                if (dims.stream().anyMatch(other -> other.field().equals(d.field()))) {
                    throw new InvalidSettingException("cells.dimensions", dimensionsRaw, "field " + d.field()
                            + " appears twice");
                }
                dims.add(d);
            }
        }
        String fallbackRaw = source.get("cells.fallback");
        List<List<String>> levels = new ArrayList<>();
        for (String level : fallbackRaw.split(";")) {
            String trimmed = level.trim();
            levels.add(trimmed.equals(CellScheme.GLOBAL) ? List.of()
                    : Arrays.stream(trimmed.split("\\+")).map(String::trim).toList());
        }
        try {
            return new CellScheme(dims, levels);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("cells.fallback", fallbackRaw, e.getMessage());
        }
    }

    /** One dimension: {@code FIELD:edges=E1,E2,...} (numeric bins) or {@code FIELD:states=S1,S2,...}. */
    private static CellDimension dimension(String raw, String part) {
        String expected = "expected FIELD:edges=E1,E2,... or FIELD:states=S1,S2,... separated by ';', FIELD one of"
                + " pileup, instLumi, detectorState or extra.NAME";
        int colon = part.indexOf(':');
        int equals = part.indexOf('=', colon + 1);
        if (colon <= 0 || equals < 0) {
            throw new InvalidSettingException("cells.dimensions", raw, expected);
        }
        String field = part.substring(0, colon).trim();
        String kind = part.substring(colon + 1, equals).trim();
        String values = part.substring(equals + 1).trim();
        List<String> list = values.isEmpty() ? List.of() : Arrays.stream(values.split(",")).map(String::trim).toList();
        try {
            if (kind.equals("edges")) {
                return new NumericBins(field, list.stream().mapToDouble(Double::parseDouble).toArray());
            }
            if (kind.equals("states")) {
                return new StateBins(field, list);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("cells.dimensions", raw, e.getMessage());
        }
        throw new InvalidSettingException("cells.dimensions", raw, expected);
    }
}
