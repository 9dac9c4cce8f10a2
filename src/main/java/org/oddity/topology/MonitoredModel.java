package org.oddity.topology;

import java.util.HashMap;
import java.util.Map;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationTable;
import org.oddity.calibrate.CellScheme;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.monitor.FeatureBinning;
import org.oddity.monitor.ReferenceHistograms;
import org.oddity.monitor.SummaryLayout;
import org.oddity.monitor.VersionReference;

/** What the monitor takes of a model the instance runs: the layout of its summaries and what its windows are compared with. */
final class MonitoredModel {

    private MonitoredModel() {
    }

    /** The layout of {@code model}'s summaries: its working points and its reference's feature binning, if any. */
    static SummaryLayout layout(ScoringModel model, int pValueBins) {
        FeatureBinning binning = model.bundle().reference().map(ReferenceHistograms::binning)
                .orElse(FeatureBinning.none());
        return SummaryLayout.of(model.workingPoints(), pValueBins, binning);
    }

    /** What {@code model}'s windows are compared with. */
    static VersionReference reference(ScoringModel model, boolean randomized) {
        return new VersionReference(model.bundle().reference().orElse(null), randomized, ownCalibration(model));
    }

    /** Per finest cell and working point, whether scoring uses the cell's own bundle set. */
    private static Map<String, boolean[]> ownCalibration(ScoringModel model) {
        CalibrationTable table = model.table();
        CellScheme cells = model.cells();
        Map<String, boolean[]> own = new HashMap<>();
        for (int c = 0; c < cells.cellsAt(0); c++) {
            boolean[] points = new boolean[table.workingPoints()];
            for (int k = 0; k < points.length; k++) {
                ResolvedCell resolved = table.cellFor(c, k);
                points[k] = resolved.level() == 0 && CalibrationTable.BUNDLE.equals(resolved.source());
            }
            own.put(cells.cellName(0, c), points);
        }
        return own;
    }
}
