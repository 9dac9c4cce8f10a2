package org.oddity.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.oddity.calibrate.CellDimension;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.NumericBins;
import org.oddity.calibrate.StateBins;

/** Parses {@code cells.dimensions} and {@code cells.fallback} into a {@link CellScheme}. */
final class CellSchemeSetting {

    private CellSchemeSetting() {
    }

    /** The cells of {@code source}, checked. */
    static CellScheme from(SettingsSource source) {
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
