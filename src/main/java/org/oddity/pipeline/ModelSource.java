package org.oddity.pipeline;

import org.oddity.bundle.ScoringModel;

/** Where {@link EventScorer} reads the model to score the next event with: a fixed one, or {@link ActiveModel}'s. */
@FunctionalInterface
public interface ModelSource {

    /** The model to score the next event with. */
    ScoringModel current();
}
