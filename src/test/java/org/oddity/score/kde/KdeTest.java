package org.oddity.score.kde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.oddity.score.TestMatrices.gaussian;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.score.FeatureMatrix;

/** The kernel density scorer: LOO-CV bandwidth, the density it implies, and exact round trips. */
class KdeTest {

    private static final double NEG_LOG_PHI_0 = 0.5 * Math.log(2 * Math.PI);

    @Test
    void oneDimensionalNormalGetsABandwidthNearSilvermanAndTheRightDensity() {
        KdeTrainer trainer = new KdeTrainer(2000, 20, 3);
        FeatureMatrix data = gaussian(2000, 1, 1);
        KdeTrainer.BandwidthSearch search = trainer.search(data);
        // Silverman's rule in 1-D: (4 / (3 m))^(1/5) = 1.059 m^(-1/5) = 0.2316 for m = 2000.
        assertEquals(0.2316, search.silverman(), 1e-4);
        double h = search.grid()[search.best()];
        assertTrue(h > search.silverman() / 2 && h < search.silverman() * 2, "h " + h);
        KdeScorer kde = trainer.train(data);
        assertEquals(h, kde.bandwidth());
        double centre = kde.score(new float[] {0f});
        // E f_h(0) = N(0; 0, 1 + h^2), a bias of +0.5 log(1 + h^2) = 0.03 for h = 0.23 in -log f;
        // the relative standard deviation of f_h(0) is sqrt(R(K) / (m h f(0))) = sqrt(0.282 /
        // (2000 * 0.23 * 0.399)) = 0.04. 0.15 covers the bias plus three standard deviations.
        assertEquals(NEG_LOG_PHI_0, centre, 0.15);
        // -log phi(4) = 8.92: the far point is about 8 nats less likely, less the KDE's heavier tail.
        double far = kde.score(new float[] {4f});
        assertTrue(far > centre + 5.0, "centre " + centre + ", far " + far);
        assertTrue(kde.score(new float[] {2f}) > centre && kde.score(new float[] {2f}) < far);
    }

    @Test
    void chosenBandwidthIsTheArgmaxOfTheLeaveOneOutCriterion() {
        KdeTrainer.BandwidthSearch search = new KdeTrainer(500, 20, 4).search(gaussian(3000, 3, 2));
        double[] c = search.criterion();
        int best = search.best();
        assertTrue(best > 0 && best < c.length - 1, "best at the grid edge: " + best);
        assertTrue(c[best] >= c[best - 1] && c[best] >= c[best + 1], Arrays.toString(c));
        assertEquals(Arrays.stream(c).max().orElseThrow(), c[best]);
        // Log-spaced from 0.05 to 5 times Silverman's rule.
        assertEquals(0.05 * search.silverman(), search.grid()[0], 1e-12);
        assertEquals(5 * search.silverman(), search.grid()[19], 1e-12);
        assertEquals(search.grid()[1] / search.grid()[0], search.grid()[19] / search.grid()[18], 1e-9);
    }

    @Test
    void leaveOneOutCriterionMatchesADirectSumForTwoPoints() {
        // Two 1-D points at distance 1: each leaves out itself, so the criterion is 2 log N(1; 0, h^2).
        double h = 0.7;
        double criterion = KdeTrainer.leaveOneOutLogLikelihood(new double[] {0, 1, 1, 0}, new double[] {1, 1}, 2, 1, h);
        double logN = -0.5 * Math.log(2 * Math.PI) - Math.log(h) - 1.0 / (2 * h * h);
        assertEquals(2 * logN, criterion, 1e-12);
    }

    @Test
    void constantFeaturesAreIgnored() {
        FeatureMatrix plain = gaussian(1500, 2, 5);
        FeatureMatrix padded = new FeatureMatrix(3);
        float[] row = new float[2];
        for (int r = 0; r < plain.rows(); r++) {
            plain.copyRow(r, row);
            padded.add(new float[] {row[0], 42f, row[1]});
        }
        KdeScorer a = new KdeTrainer(1000, 20, 6).train(plain);
        KdeScorer b = new KdeTrainer(1000, 20, 6).train(padded);
        assertEquals(a.bandwidth(), b.bandwidth());
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            float x = (float) (2 * random.nextGaussian());
            float y = (float) (2 * random.nextGaussian());
            // The constant column's value at scoring time does not matter either.
            assertEquals(a.score(new float[] {x, y}), b.score(new float[] {x, (float) random.nextGaussian(), y}));
        }
    }

    @Test
    void scoresStayFiniteFarAway() {
        KdeScorer kde = new KdeTrainer(200, 10, 1).train(gaussian(200, 2, 8));
        double s = kde.score(new float[] {1e3f, -1e3f});
        assertTrue(Double.isFinite(s) && s > 1e4, "score " + s);
        // With a tiny standard deviation every exponent overflows to -infinity: the score is +infinity, not NaN.
        KdeScorer narrow = new KdeScorer(1, 1.0, new double[] {1e-150}, new double[] {0.0, 0.0});
        // At a reference point: -log N(0; 0, sigma^2) = 0.5 log 2 pi + log sigma.
        assertEquals(NEG_LOG_PHI_0 + Math.log(1e-150), narrow.score(new float[] {0f}), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, narrow.score(new float[] {1e10f}));
    }

    @Test
    void codecRoundTripIsBitIdenticalAndDamageIsRefused(@TempDir Path dir) throws IOException {
        KdeScorer kde = new KdeTrainer(300, 20, 2).train(gaussian(2000, 4, 3));
        KdeFamily codec = new KdeFamily();
        assertEquals(List.of(KdeFamily.FILE), codec.write(kde, dir));
        KdeScorer read = (KdeScorer) codec.read(dir);
        SplittableRandom random = new SplittableRandom(8);
        float[] x = new float[4];
        for (int i = 0; i < 1_000; i++) {
            for (int f = 0; f < x.length; f++) {
                x[f] = (float) (3 * random.nextGaussian());
            }
            assertEquals(Double.doubleToLongBits(kde.score(x)), Double.doubleToLongBits(read.score(x)));
        }
        Path file = dir.resolve(KdeFamily.FILE);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(KdeFamily.HEADER + 8 * 4 + 8 * 300 * 4, bytes.length);

        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertMessage(codec, dir, "truncated");

        Files.write(file, Arrays.copyOf(bytes, bytes.length + 8));
        assertMessage(codec, dir, "bytes after");

        byte[] nan = bytes.clone();
        ByteBuffer.wrap(nan).putDouble(KdeFamily.HEADER + 8 * 4 + 8 * 17, Double.NaN);
        Files.write(file, nan);
        assertMessage(codec, dir, "not finite");

        byte[] wrongCount = bytes.clone();
        ByteBuffer.wrap(wrongCount).putInt(8, 301);
        Files.write(file, wrongCount);
        assertMessage(codec, dir, "truncated");

        byte[] zeroFeatures = bytes.clone();
        ByteBuffer.wrap(zeroFeatures).putInt(4, 0);
        Files.write(file, zeroFeatures);
        assertMessage(codec, dir, "implausible dimensions");

        for (double h : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY}) {
            byte[] badH = bytes.clone();
            ByteBuffer.wrap(badH).putDouble(12, h);
            Files.write(file, badH);
            assertMessage(codec, dir, "bandwidth");
        }

        byte[] negativeSigma = bytes.clone();
        ByteBuffer.wrap(negativeSigma).putDouble(KdeFamily.HEADER, -1.0);
        Files.write(file, negativeSigma);
        assertMessage(codec, dir, "standard deviation 0");

        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertMessage(codec, dir, "not a kernel density");
    }

    private static void assertMessage(KdeFamily codec, Path dir, String expected) {
        String message = assertThrows(IOException.class, () -> codec.read(dir)).getMessage();
        assertTrue(message.contains(expected), message);
    }

    @Test
    void parametersAreCheckedByName() {
        KdeFamily family = new KdeFamily();
        assertEquals("kde", family.family());
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> family.trainer(Map.of("bandwidth", "0.3"), 1)).getMessage();
        assertTrue(unknown.contains("unknown parameter bandwidth"), unknown);
        String bad = assertThrows(IllegalArgumentException.class,
                () -> family.trainer(Map.of("points", "1"), 1)).getMessage();
        assertTrue(bad.contains("points=1"), bad);
        KdeScorer kde = (KdeScorer) family.trainer(Map.of("points", "50", "bandwidths", "5"), 9)
                .train(gaussian(80, 2, 4));
        assertEquals(50, kde.pointCount());
        assertEquals(2, kde.featureCount());
    }
}
