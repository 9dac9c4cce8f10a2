package org.oddity.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.OnlineCalibration;
import org.oddity.calibrate.ResolvedCell;

/**
 * The model an instance scores with, switched atomically: scoring threads read it once per
 * event, so every event is scored by exactly one model, and a switch falls between two events.
 *
 * <p>A candidate is only switched to if it is fit to replace the running model: the same
 * feature extractor and features (the input stream does not change with the model), and a
 * calibration of its own for every cell that has seen events, at every working point at least
 * as fine as the running model's. Calibration sets belong to one model version; a score of one
 * model means nothing against another's. A candidate that fails is refused and queued as a
 * {@link Refusal} for whoever reports it, and the running model stays. With online calibration,
 * a candidate whose only shortfall is calibration waits as the pending model instead: the
 * calibration stream scores it too, and it is switched to once its online sets cover the
 * active cells.
 */
public final class ActiveModel implements ModelSource {

    /** A candidate that was not switched to, and why. */
    public record Refusal(String modelName, String modelVersion, String reason, long refusedAtMillis) {
    }

    /** What became of a candidate offered to {@link #switchTo}. */
    public enum Outcome {
        /** It scores from the next event on. */
        SWITCHED,
        /** It is the running model already (an announcement seen again, e.g. on restart). */
        ALREADY_RUNNING,
        /** It waits for online calibration of the active cells, scored by the calibration stream meanwhile. */
        AWAITING_CALIBRATION
    }

    private final AtomicReference<ScoringModel> current;
    private final CellCounters counters;
    private final int minimumCalibrationSize;
    private final boolean onlineCalibration;
    private final OnlineCalibration online = new OnlineCalibration();
    private final Queue<Refusal> refusals = new ConcurrentLinkedQueue<>();
    private final List<Runnable> switchListeners = new CopyOnWriteArrayList<>();
    private volatile ModelBundle pending;

    /**
     * An instance scoring with {@code initial}, whose candidates must bring their own calibration.
     *
     * @param initial                the model to start with
     * @param counters               events per finest cell, which tell the cells in use
     * @param minimumCalibrationSize floor on each working point's minimum set size, as for {@code initial}
     */
    public ActiveModel(ScoringModel initial, CellCounters counters, int minimumCalibrationSize) {
        this(initial, counters, minimumCalibrationSize, false);
    }

    /**
     * @param onlineCalibration whether online calibration runs: then a candidate without enough
     *                          calibration of its own waits for it instead of being refused
     */
    public ActiveModel(ScoringModel initial, CellCounters counters, int minimumCalibrationSize,
            boolean onlineCalibration) {
        this.current = new AtomicReference<>(initial);
        this.counters = counters;
        this.minimumCalibrationSize = minimumCalibrationSize;
        this.onlineCalibration = onlineCalibration;
    }

    @Override
    public ScoringModel current() {
        return current.get();
    }

    /** The candidate waiting for online calibration, or null. */
    public ModelBundle pending() {
        return pending;
    }

    /** The online calibration sets known to this instance, and their staleness. */
    public OnlineCalibration online() {
        return online;
    }

    /** Name of the running model: announcements of other models are not for this instance. */
    public String modelName() {
        return current.get().bundle().manifest().name();
    }

    /**
     * Offers {@code candidate} to replace the running model.
     *
     * @throws InvalidBundleException if it cannot replace the running model; the reason says why
     */
    public synchronized Outcome switchTo(ModelBundle candidate) throws InvalidBundleException {
        ScoringModel running = current.get();
        if (candidate.version().equals(running.bundle().version())) {
            return Outcome.ALREADY_RUNNING;
        }
        String what = "model " + candidate.manifest().name() + " " + candidate.version();
        BundleManifest now = running.bundle().manifest();
        BundleManifest next = candidate.manifest();
        if (!now.extractor().equals(next.extractor()) || !now.featureNames().equals(next.featureNames())
                || !Objects.equals(now.featureLayout(), next.featureLayout())) {
            throw new InvalidBundleException(what + " reads features " + next.extractor() + " " + next.featureNames()
                    .size() + " (" + next.featureLayout() + ") but the stream carries " + now.extractor() + " "
                    + now.featureNames().size() + " (" + now.featureLayout() + ")");
        }
        try {
            ScoringModel model = ScoringModel.of(candidate, running.cells(), running.workingPoints(),
                    minimumCalibrationSize, online.sets(candidate.version()), running.sketchK());
            requireCalibrationAsFine(what, running, model);
            adopt(model);
            return Outcome.SWITCHED;
        } catch (InvalidBundleException e) {
            if (!onlineCalibration) {
                throw e;
            }
            pending = candidate;
            online.retainOnly(Set.of(running.bundle().version(), candidate.version()));
            return Outcome.AWAITING_CALIBRATION;
        }
    }

    /**
     * Takes the merged online sets of {@code version}: the running model's replace its
     * calibration where large enough; the pending model's may complete its calibration, and then
     * it is switched to.
     *
     * @return true if the pending model was switched to
     */
    public synchronized boolean calibrationUpdated(String version, Map<String, CalibrationSet> sets) {
        ScoringModel running = current.get();
        if (version.equals(running.bundle().version())) {
            try {
                current.set(running.withOnline(sets));
            } catch (InvalidBundleException e) {
                // Only a model calibrated online alone can fall short, when a source withdraws its
                // snapshot: it keeps the calibration it has until the sets are large enough again.
            }
            return false;
        }
        ModelBundle waiting = pending;
        if (waiting == null || !version.equals(waiting.version())) {
            return false;
        }
        try {
            ScoringModel model = ScoringModel.of(waiting, running.cells(), running.workingPoints(),
                    minimumCalibrationSize, sets, running.sketchK());
            requireCalibrationAsFine("model " + waiting.manifest().name() + " " + version, running, model);
            adopt(model);
            return true;
        } catch (InvalidBundleException e) {
            return false;
        }
    }

    private void adopt(ScoringModel model) {
        current.set(model);
        pending = null;
        online.retainOnly(Set.of(model.bundle().version()));
        switchListeners.forEach(Runnable::run);
    }

    /**
     * Runs {@code listener} after every switch to another model version from now on, on the
     * thread that switched; {@link #current()} is the new model by then.
     */
    public void onSwitch(Runnable listener) {
        switchListeners.add(listener);
    }

    /** Refuses {@code model} unless every active cell is calibrated at every working point at least as finely as now. */
    private void requireCalibrationAsFine(String what, ScoringModel running, ScoringModel model)
            throws InvalidBundleException {
        int[] sizes = running.workingPoints().minimumSizes(minimumCalibrationSize);
        for (int cell = 0; cell < running.cells().cellsAt(0); cell++) {
            if (counters.events(cell) == 0) {
                continue;
            }
            for (int k = 0; k < sizes.length; k++) {
                ResolvedCell had = running.table().cellFor(cell, k);
                ResolvedCell would = model.table().cellFor(cell, k);
                if (would.level() > had.level()) {
                    throw new InvalidBundleException(what + " has no calibration of at least " + sizes[k]
                            + " events for active cell " + had.requested() + " at " + had.used() + "; it would fall back"
                            + " to " + would.used());
                }
            }
        }
    }

    /** Records that a candidate was refused, for the alert that reports it. */
    public void refused(Refusal refusal) {
        refusals.add(refusal);
    }

    /** The oldest refusal not yet reported, or null; each refusal is handed out once. */
    public Refusal nextRefusal() {
        return refusals.poll();
    }
}
