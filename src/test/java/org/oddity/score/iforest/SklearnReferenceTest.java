package org.oddity.score.iforest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oddity.score.ReferenceData;

/**
 * The isolation forest against scikit-learn 1.2's {@code IsolationForest} with the same trees and
 * subsample on heavy-tailed data, by Spearman's rank correlation of the held-out scores, at least
 * 0.95 (issue 15).
 *
 * <p>Seeds cannot match, and one forest of 100 trees is noisy: two scikit-learn forests with
 * different random states correlate at only 0.95 (8 features) and 0.92 (57), so a single pair
 * could not show 0.95 even between identical algorithms. Both sides are therefore the mean score
 * of {@code iforest.forests} forests, estimating each algorithm's expected score.
 */
class SklearnReferenceTest {

    @ParameterizedTest
    @ValueSource(strings = {"heavy8", "heavy57"})
    void expectedScoresRankAsIsolationForest(String name) {
        ReferenceData data = ReferenceData.load(name);
        int forests = (int) data.number("iforest.forests");
        double[] scores = new double[data.heldOut().length];
        for (int seed = 0; seed < forests; seed++) {
            IsolationForest forest = new IsolationForestTrainer((int) data.number("iforest.trees"),
                    (int) data.number("iforest.subsample"), seed).train(data.train());
            for (int i = 0; i < scores.length; i++) {
                scores[i] += forest.score(data.heldOut()[i]) / forests;
            }
        }
        double rho = ReferenceData.spearman(scores, data.iforest());
        assertTrue(rho >= 0.95, name + ": Spearman " + rho);
    }
}
