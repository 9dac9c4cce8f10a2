package org.oddity.score.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.oddity.score.FeatureMatrix;

class PreprocessingTest {

    private static final List<String> NAMES = List.of("met_pt", "met_phi", "jet0_pt", "flag");

    /** Exponential pt, uniform phi, and a constant column. */
    private static FeatureMatrix sample(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        FeatureMatrix m = new FeatureMatrix(NAMES.size());
        for (int r = 0; r < rows; r++) {
            m.add(new float[] {(float) (-30 * Math.log(1 - random.nextDouble())),
                (float) (Math.PI * (2 * random.nextDouble() - 1)), (float) (-50 * Math.log(1 - random.nextDouble())),
                7f});
        }
        return m;
    }

    private static FeatureMatrix copy(FeatureMatrix m) {
        FeatureMatrix out = new FeatureMatrix(m.columns());
        float[] row = new float[m.columns()];
        for (int r = 0; r < m.rows(); r++) {
            m.copyRow(r, row);
            out.add(row);
        }
        return out;
    }

    @Test
    void fittedStepsStandardizeWhatTheLogLeavesAndScoringRepeatsTraining() {
        FeatureMatrix raw = sample(20_000, 1);
        FeatureMatrix data = copy(raw);
        Preprocessing p = Preprocessing.fit("log-pt,standardize", NAMES, data);
        assertEquals(List.of("met_pt", "jet0_pt"), ((PreprocessingStep.LogPt) p.steps().get(0)).features());
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            for (int r = 0; r < data.rows(); r++) {
                sum += data.get(r, c);
                sq += data.get(r, c) * data.get(r, c);
            }
            double mean = sum / data.rows();
            assertEquals(0, mean, 1e-4, "column " + c);
            assertEquals(1, sq / data.rows() - mean * mean, 1e-3, "column " + c);
        }
        // A constant feature keeps scale 1, so it becomes 0 rather than NaN.
        assertEquals(0f, data.get(5, 3));
        PreprocessingStep.Standardize s = (PreprocessingStep.Standardize) p.steps().get(1);
        // E[log(1 + X)] = e^(1/30) E1(1/30) for X ~ Exp(mean 30); the sample sd is 1.08, so 0.04 is 5 sigma at n = 20,000.
        assertEquals(2.9538, s.mean()[0], 0.04);
        float[] row = new float[4];
        for (int r = 0; r < raw.rows(); r += 997) {
            raw.copyRow(r, row);
            p.apply(row);
            for (int c = 0; c < 4; c++) {
                assertEquals(data.get(r, c), row[c], "row " + r + " column " + c);
            }
        }
    }

    @Test
    void logPtTouchesOnlyPtFeaturesAndClipBoundsEverything() {
        Preprocessing p = Preprocessing.fit("log-pt,clip=3", NAMES, new FeatureMatrix(4));
        float[] x = {(float) (Math.E * Math.E * Math.E * Math.E - 1), -3.1f, -5f, 2.5f};
        p.apply(x);
        assertArrayEquals(new float[] {3f, -3f, 0f, 2.5f}, x, 1e-5f);
    }

    @Test
    void manifestJsonRoundTripAppliesIdentically() throws Exception {
        FeatureMatrix data = sample(2_000, 2);
        Preprocessing p = Preprocessing.fit("log-pt,standardize,clip=4", NAMES, data);
        ObjectMapper json = new ObjectMapper();
        String text = json.writerFor(Preprocessing.STEPS_TYPE).writeValueAsString(p.steps());
        assertTrue(text.contains("\"step\":\"log-pt\"") && text.contains("\"step\":\"standardize\"")
                && text.contains("\"step\":\"clip\""), text);
        Preprocessing back = Preprocessing.of(json.readerFor(Preprocessing.STEPS_TYPE).readValue(text), NAMES);
        FeatureMatrix raw = sample(50, 3);
        float[] a = new float[4];
        float[] b = new float[4];
        for (int r = 0; r < raw.rows(); r++) {
            raw.copyRow(r, a);
            raw.copyRow(r, b);
            p.apply(a);
            back.apply(b);
            assertArrayEquals(a, b);
        }
    }

    @Test
    void badSpecsAndDeclarationsNameTheProblem() {
        assertEquals("none", Preprocessing.checkedSpec("none"));
        assertEquals("standardize,clip=5", Preprocessing.checkedSpec("standardize,clip=5"));
        assertEquals("unknown preprocessing step 'whiten' (known: none, log-pt, standardize, clip=C)",
                assertThrows(IllegalArgumentException.class, () -> Preprocessing.checkedSpec("log-pt,whiten"))
                        .getMessage());
        assertEquals("unknown preprocessing step '' (known: none, log-pt, standardize, clip=C)",
                assertThrows(IllegalArgumentException.class, () -> Preprocessing.checkedSpec("log-pt,,standardize"))
                        .getMessage());
        assertEquals("preprocessing step clip=-1: expected clip=C with C > 0",
                assertThrows(IllegalArgumentException.class, () -> Preprocessing.checkedSpec("clip=-1"))
                        .getMessage());
        assertEquals("preprocessing step log-pt: no feature is named *_pt", assertThrows(
                IllegalArgumentException.class, () -> Preprocessing.fit("log-pt", List.of("a", "b"),
                        new FeatureMatrix(2))).getMessage());
        assertEquals("preprocessing step standardize needs mean and scale for each of the 4 features",
                assertThrows(IllegalArgumentException.class, () -> Preprocessing.of(List.of(
                        new PreprocessingStep.Standardize(new float[3], new float[3])), NAMES)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Preprocessing.of(List.of(
                new PreprocessingStep.Standardize(new float[4], new float[] {1, 1, 0, 1})), NAMES)).getMessage()
                .contains("for feature jet0_pt; the scale must be finite"));
        assertEquals("preprocessing step log-pt names feature mu0_pt, which the model does not have",
                assertThrows(IllegalArgumentException.class, () -> Preprocessing.of(List.of(
                        new PreprocessingStep.LogPt(List.of("mu0_pt"))), NAMES)).getMessage());
        assertEquals("preprocessing step clip needs min < max, got [2.0, 1.0]", assertThrows(
                IllegalArgumentException.class, () -> Preprocessing.of(List.of(new PreprocessingStep.Clip(2, 1)),
                        NAMES)).getMessage());
    }
}
