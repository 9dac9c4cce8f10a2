package org.oddity.model;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.oddity.calibrate.ResolvedCell;
import org.oddity.metrics.CellCounters;

/**
 * The model an instance scores with, switched atomically: scoring threads read it once per
 * event, so every event is scored by exactly one model, and a switch falls between two events.
 *
 * <p>A candidate is only switched to if it is fit to replace the running model: the same
 * feature extractor and features (the input stream does not change with the model), and a
 * calibration of its own for every cell that has seen events, at least as fine as the running
 * model's. Calibration sets belong to one model version; a score of one model means nothing
 * against another's. A refused candidate leaves the running model in place and is queued as a
 * {@link Refusal} for whoever reports it.
 */
public final class ActiveModel {

    /** A candidate that was not switched to, and why. */
    public record Refusal(String modelName, String modelVersion, String reason, long refusedAtMillis) {
    }

    private final AtomicReference<ScoringModel> current;
    private final CellCounters counters;
    private final int minimumCalibrationSize;
    private final Queue<Refusal> refusals = new ConcurrentLinkedQueue<>();

    /**
     * @param initial                the model to start with
     * @param counters               events per finest cell, which tell the cells in use
     * @param minimumCalibrationSize smallest calibration set a cell may use, as for {@code initial}
     */
    public ActiveModel(ScoringModel initial, CellCounters counters, int minimumCalibrationSize) {
        this.current = new AtomicReference<>(initial);
        this.counters = counters;
        this.minimumCalibrationSize = minimumCalibrationSize;
    }

    /** The model to score the next event with. */
    public ScoringModel current() {
        return current.get();
    }

    /** Name of the running model: announcements of other models are not for this instance. */
    public String modelName() {
        return current.get().bundle().manifest().name();
    }

    /**
     * Makes {@code candidate} the running model.
     *
     * @return false if it already is (an announcement seen again, e.g. on restart)
     * @throws InvalidBundleException if it cannot replace the running model; the reason says why
     */
    public synchronized boolean switchTo(ModelBundle candidate) throws InvalidBundleException {
        ScoringModel running = current.get();
        if (candidate.version().equals(running.bundle().version())) {
            return false;
        }
        String what = "model " + candidate.manifest().name() + " " + candidate.version();
        BundleManifest now = running.bundle().manifest();
        BundleManifest next = candidate.manifest();
        if (!now.extractor().equals(next.extractor()) || !now.featureNames().equals(next.featureNames())
                || !java.util.Objects.equals(now.featureLayout(), next.featureLayout())) {
            throw new InvalidBundleException(what + " reads features " + next.extractor() + " " + next.featureNames()
                    .size() + " (" + next.featureLayout() + ") but the stream carries " + now.extractor() + " "
                    + now.featureNames().size() + " (" + now.featureLayout() + ")");
        }
        ScoringModel model = ScoringModel.of(candidate, running.cells(), running.workingPoints(),
                minimumCalibrationSize);
        for (int cell = 0; cell < running.cells().cellsAt(0); cell++) {
            if (counters.events(cell) == 0) {
                continue;
            }
            ResolvedCell had = running.table().cellFor(cell);
            ResolvedCell would = model.table().cellFor(cell);
            if (would.level() > had.level()) {
                throw new InvalidBundleException(what + " has no calibration of at least " + minimumCalibrationSize
                        + " events for active cell " + had.requested() + " at " + had.used() + "; it would fall back to "
                        + would.used());
            }
        }
        current.set(model);
        return true;
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
