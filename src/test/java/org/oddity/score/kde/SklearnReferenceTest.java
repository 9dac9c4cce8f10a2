package org.oddity.score.kde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oddity.score.ReferenceData;

/**
 * The kernel density family against scikit-learn 1.2's {@code KernelDensity} (gaussian kernel) on
 * heavy-tailed data: the same leave-one-out bandwidth, and mean held-out log-likelihood within 1%
 * (issue 15).
 */
class SklearnReferenceTest {

    private static final double RELATIVE = 0.01;

    private static KdeScorer train(ReferenceData data) {
        // Every training row a reference point, as the script fits KernelDensity to all of them.
        return new KdeTrainer(data.train().rows(), 20, 1).train(data.train());
    }

    @ParameterizedTest
    @ValueSource(strings = {"heavy8", "heavy57"})
    void kdeIsTheExactKernelSumAtTheReferenceBandwidth(String name) {
        ReferenceData data = ReferenceData.load(name);
        KdeScorer kde = train(data);
        assertEquals(data.number("kde.bandwidth"), kde.bandwidth(), 1e-12, name);
        // The script's direct log-sum-exp over all 1,500 kernels: oddity evaluates the same sum,
        // so only rounding separates them.
        double exact = data.number("kde.exactMeanLogLikelihood");
        assertEquals(exact, data.meanLogLikelihood(kde), 1e-9 * Math.abs(exact), name);
    }

    /**
     * On 8 features KernelDensity's tree estimate is 0.9% above the exact sum, inside the issue's
     * 1%. On 57 it is 3.6% above, and moves by up to 2 nats with its tree type and traversal
     * (scikit-learn issues 7492 and 27186), so there the exact sum above is the reference.
     */
    @Test
    void kdeMatchesKernelDensityOnEightFeatures() {
        ReferenceData data = ReferenceData.load("heavy8");
        double expected = data.number("kde.meanLogLikelihood");
        assertEquals(expected, data.meanLogLikelihood(train(data)), RELATIVE * Math.abs(expected));
    }
}
