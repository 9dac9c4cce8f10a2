package org.oddity.bundle;

import org.oddity.score.Scorer;
import org.oddity.score.preprocess.Preprocessing;

/** For tests: a bundle without preprocessing with another scorer in place of its own, e.g. one that fails. */
public final class ScorerSwap {

    private ScorerSwap() {
    }

    /** {@code bundle}, which must have no preprocessing, scoring with {@code scorer}. */
    public static ModelBundle withScorer(ModelBundle bundle, Scorer scorer) {
        if (!bundle.manifest().preprocessing().isEmpty()) {
            throw new IllegalArgumentException("bundle " + bundle.directory() + " has preprocessing");
        }
        return new ModelBundle(bundle.directory(), bundle.manifest(), scorer, Preprocessing.NONE,
                bundle.calibration(), bundle.reference().orElse(null));
    }
}
