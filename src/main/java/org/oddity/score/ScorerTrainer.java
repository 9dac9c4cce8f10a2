package org.oddity.score;

/** Fits a scorer to background feature vectors; deterministic for the seed it was created with. */
@FunctionalInterface
public interface ScorerTrainer {

    /** A scorer trained on every row of {@code data}. */
    Scorer train(FeatureMatrix data);
}
