package org.oddity.evaluate;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.ScoringModel;
import org.oddity.calibrate.PValueMode;
import org.oddity.calibrate.WorkingPoint;
import org.oddity.pipeline.EventBatch;
import org.oddity.pipeline.EventScorer;
import org.oddity.pipeline.ScoredEvent;

/**
 * Scores events through the streaming path's own {@link EventScorer} (the bundle's extractor
 * with its preprocessing, its scorer, the calibration resolved over the cell scheme, the p-value
 * mode of the settings) and tallies them for the report. Events the stream would send to the
 * dead-letter topic are counted by stage.
 *
 * <p>Events are scored in batches ({@link EventBatch}), which give the same results as one call
 * per event; the randomized p-values draw in event order from one seeded stream.
 */
public final class Evaluation {

    private final ScoringModel model;
    private final Predicate<String> background;
    private final PValueMode mode;
    private final EventBatch batch;
    private final EvaluationTally tally;
    private BiConsumer<CollisionEvent, ScoredEvent> observer = (event, result) -> { };
    private long read;

    /**
     * @param model      the bundle resolved over the settings' cells and working points
     * @param mode       conservative or randomized p-values
     * @param seed       seed of the randomized p-values' draws
     * @param background whether an event's truth label (null for none) marks background
     */
    public Evaluation(ScoringModel model, PValueMode mode, long seed, Predicate<String> background) {
        this.model = model;
        this.background = background;
        this.mode = mode;
        this.batch = new EventBatch(EventScorer.calibrated(() -> model, mode, new SplittableRandom(seed), 0),
                this::tally);
        List<WorkingPoint> points = model.workingPoints().loosestFirst();
        double[] alphas = points.stream().mapToDouble(WorkingPoint::alpha).toArray();
        double[] thresholds = points.stream().mapToDouble(p -> model.table().global().threshold(p.alpha())).toArray();
        this.tally = new EvaluationTally(model.cells().cellsAt(0), alphas, thresholds);
    }

    /**
     * Hands every event and what scoring made of it to {@code observer}, in event order, from now
     * on: how a test compares evaluate's scores with the stream's, event by event.
     */
    void observe(BiConsumer<CollisionEvent, ScoredEvent> observer) {
        this.observer = observer;
    }

    /** Scores one event. */
    public void add(CollisionEvent event) {
        read++;
        batch.add(event);
    }

    private void tally(CollisionEvent event, ScoredEvent scored) {
        observer.accept(event, scored);
        if (!scored.ok()) {
            tally.reject(scored.failedStage().name());
            return;
        }
        String truth = event.getTruth();
        tally.add(scored.cell(), background.test(truth) ? null : truth, scored.score(), scored.pValues());
    }

    /** Events given to {@link #add} so far. */
    public long eventsRead() {
        return read;
    }

    /**
     * The report of every event added so far.
     *
     * @param input   where the events came from, for the report
     * @param seconds wall-clock time the evaluation took
     */
    public EvaluationReport report(EvaluationReport.Input input, double seconds) {
        batch.flush();
        return ReportAssembler.assemble(model, mode, tally,
                read, input, seconds);
    }
}
