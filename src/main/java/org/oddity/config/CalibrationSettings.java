package org.oddity.config;

import static org.oddity.config.SettingValues.anyLong;
import static org.oddity.config.SettingValues.intIn;
import static org.oddity.config.SettingValues.oneOfIgnoringCase;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.calibrate.WorkingPoints;

/**
 * How scores become p-values and flags: against which calibration sets, held how, and at which
 * working points.
 *
 * @param workingPoints the alphas an event's p-value is compared with
 * @param cells         the run-condition cells calibrated apart, and their fallback order
 * @param minSize       smallest calibration set any working point may use; 0 sets no floor
 * @param sketchK       0 holds calibration sets exactly; an even k in [4, 1024] as REQ sketches
 * @param pValueMode    conservative or randomized p-values
 * @param pValueSeed    seed of the randomized p-value's draws
 * @param online        calibration from the unbiased stream
 */
public record CalibrationSettings(WorkingPoints workingPoints, CellScheme cells, int minSize, int sketchK,
        PValueMode pValueMode, long pValueSeed, OnlineCalibrationSettings online) {

    /** Keys {@code working-points}, {@code cells.*}, {@code calibration.*} and {@code pvalue.*}. */
    static CalibrationSettings from(SettingsSource source) {
        return new CalibrationSettings(
                workingPoints(source.get("working-points")),
                CellSchemeSetting.from(source),
                intIn(source, "calibration.min-size", 0, Integer.MAX_VALUE),
                sketchK(source),
                oneOfIgnoringCase(source, "pvalue.mode", List.of(PValueMode.values()),
                        mode -> mode.name().toLowerCase(Locale.ROOT)),
                anyLong(source, "pvalue.seed"),
                OnlineCalibrationSettings.from(source));
    }

    /** Smallest calibration set each working point may use, loosest first. */
    public int[] minimumSizes() {
        return workingPoints.minimumSizes(minSize);
    }

    private static int sketchK(SettingsSource source) {
        int k = intIn(source, "calibration.sketch-k", 0, 1024);
        if (k != 0 && (k < 4 || k % 2 != 0)) {
            throw new InvalidSettingException("calibration.sketch-k", source.get("calibration.sketch-k"),
                    "expected 0 (exact sets) or an even number in [4, 1024]");
        }
        return k;
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
}
