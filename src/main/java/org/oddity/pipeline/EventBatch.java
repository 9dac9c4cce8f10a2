package org.oddity.pipeline;

import java.util.Arrays;
import java.util.function.BiConsumer;
import org.oddity.avro.CollisionEvent;

/**
 * Events gathered for {@link EventScorer#scoreAll}, {@value EventScorer#BATCH} at a time, each
 * handed with what scoring made of it to a consumer, in the order added. For offline passes
 * over many events (evaluation, calibration), where a family with a fixed cost per call (ONNX
 * Runtime's session run) should pay it once per batch.
 */
public final class EventBatch {

    private final EventScorer scorer;
    private final BiConsumer<CollisionEvent, ScoredEvent> consumer;
    private final CollisionEvent[] events = new CollisionEvent[EventScorer.BATCH];
    private final ScoredEvent[] scored = new ScoredEvent[EventScorer.BATCH];
    private int pending;

    /** Scores with {@code scorer}; {@code consumer} sees each event and its outcome, whose scratch is reused after. */
    public EventBatch(EventScorer scorer, BiConsumer<CollisionEvent, ScoredEvent> consumer) {
        this.scorer = scorer;
        this.consumer = consumer;
        for (int i = 0; i < scored.length; i++) {
            scored[i] = new ScoredEvent();
        }
    }

    /** Adds one event; a full batch is scored and handed on. */
    public void add(CollisionEvent event) {
        events[pending] = event;
        if (++pending == events.length) {
            flush();
        }
    }

    /** Scores and hands on the events added since the last batch. */
    public void flush() {
        scorer.scoreAll(events, pending, scored);
        for (int i = 0; i < pending; i++) {
            consumer.accept(events[i], scored[i]);
        }
        Arrays.fill(events, 0, pending, null);
        pending = 0;
    }
}
