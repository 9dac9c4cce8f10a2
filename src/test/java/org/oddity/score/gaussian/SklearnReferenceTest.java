package org.oddity.score.gaussian;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oddity.score.ReferenceData;

/**
 * The Gaussian families against scikit-learn 1.2 on heavy-tailed data: mean held-out
 * log-likelihood within 1% (issue 15) of {@code GaussianMixture.score} and
 * {@code EmpiricalCovariance.score}.
 */
class SklearnReferenceTest {

    private static final double RELATIVE = 0.01;

    /**
     * EM stops in a local optimum that the k-means seeding picks, and scikit-learn's own held-out
     * figure moves by up to 10% between random states on these sets, so one fit against one fit
     * would test the seeds, and a rare much better optimum (scikit-learn finds one in 20 random
     * states near -14.5 on heavy8) drags a mean. The median over {@code gmm.fits} seeds on each
     * side is the figure the fitting procedure typically gives.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heavy8", "heavy57"})
    void mixtureMatchesGaussianMixtureOverSeeds(String name) {
        ReferenceData data = ReferenceData.load(name);
        int fits = (int) data.number("gmm.fits");
        double[] figures = new double[fits];
        for (int seed = 0; seed < fits; seed++) {
            GaussianMixture gmm = (GaussianMixture) new GaussianMixtureFamily()
                    .trainer(Map.of("components", data.expected().get("gmm.components")), seed).train(data.train());
            figures[seed] = data.meanLogLikelihood(gmm);
        }
        Arrays.sort(figures);
        double median = fits % 2 == 1 ? figures[fits / 2] : 0.5 * (figures[fits / 2 - 1] + figures[fits / 2]);
        double expected = data.number("gmm.medianOverFits");
        assertEquals(expected, median, RELATIVE * Math.abs(expected), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"heavy8", "heavy57"})
    void mahalanobisMatchesEmpiricalCovariance(String name) {
        ReferenceData data = ReferenceData.load(name);
        double expected = data.number("mahalanobis.meanLogLikelihood");
        assertEquals(expected, data.meanLogLikelihood(new MahalanobisTrainer().train(data.train())),
                RELATIVE * Math.abs(expected), name);
    }
}
