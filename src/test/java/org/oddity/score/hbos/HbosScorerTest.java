package org.oddity.score.hbos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.Scorer;

/**
 * HBOS scores -sum log h_i(x_i): flat on a uniform sample and higher outside it, growing like
 * x^2 / 2 in a Gaussian feature's tails, additive over features, finite for any input; training
 * is deterministic (and independent of row order); the {@code hbos.json} codec round-trips
 * bit-identically and refuses damaged parameter files with an IOException.
 */
class HbosScorerTest {

    private static FeatureMatrix matrix(int rows, int columns, SplittableRandom random,
            java.util.function.BiFunction<Integer, SplittableRandom, Float> column) {
        FeatureMatrix m = new FeatureMatrix(columns);
        float[] row = new float[columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                row[c] = column.apply(c, random);
            }
            m.add(row);
        }
        return m;
    }

    @Test
    void uniformSampleScoresFlatInsideAndHigherOutside() {
        int n = 100_000;
        int bins = 20;
        FeatureMatrix data = matrix(n, 1, new SplittableRandom(1), (c, r) -> (float) (10.0 * r.nextDouble()));
        HbosScorer scorer = new HbosTrainer(bins, 1.0).train(data);
        assertEquals(1, scorer.featureCount());
        assertEquals("hbos", scorer.family());
        // Density 1/10 everywhere inside: -log h = log 10 = 2.3026. Each bin holds 5000 +- 69 events, so every
        // bin is within 5 standard deviations (7%, 0.07 in log) of it.
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 1000; i++) {
            float x = (float) (0.01 + 9.98 * i / 999.0);
            double s = scorer.score(new float[] {x});
            assertEquals(Math.log(10.0), s, 0.07, "x=" + x);
            max = Math.max(max, s);
            min = Math.min(min, s);
        }
        assertTrue(max - min < 0.14, "spread " + (max - min));
        // Below the minimum: the empty underflow bin, density 0.5 / ((n + 0.5 (bins + 2)) width).
        double width = 1.0 / scorer.inverseWidth()[0];
        double empty = Math.log((n + 0.5 * (bins + 2)) * width / 0.5);
        assertEquals(Math.log(n * 1.0), empty, 0.01);
        assertEquals(empty, scorer.score(new float[] {-1f}), 1e-6);
        assertEquals(empty, scorer.score(new float[] {-1e30f}), 1e-6);
        // Above the maximum: the overflow bin, which holds at most the sample maximum.
        for (float x : new float[] {10.5f, 11f, 1e9f}) {
            double s = scorer.score(new float[] {x});
            assertTrue(s > max + 8.0, "x=" + x + " scores " + s);
        }
    }

    @Test
    void gaussianTailsScoreHigherThanTheCentre() {
        // Feature 0 ~ N(0, 1), feature 1 ~ U(0, 1): the score difference is the Gaussian's x^2 / 2.
        FeatureMatrix data = matrix(200_000, 2, new SplittableRandom(2),
                (c, r) -> c == 0 ? (float) r.nextGaussian() : (float) r.nextDouble());
        HbosScorer scorer = new HbosTrainer(50, 0.999).train(data);
        double centre = scorer.score(new float[] {0f, 0.5f});
        // -log phi(0) = log(2 pi) / 2 = 0.919; the uniform feature adds -log 1 = 0 (up to its binning).
        assertEquals(0.9189, scorer.contribution(0, 0f), 0.03);
        assertEquals(0.0, scorer.contribution(1, 0.5f), 0.05);
        double previous = centre;
        for (float x : new float[] {1f, 2f, 3f}) {
            double plus = scorer.score(new float[] {x, 0.5f});
            double minus = scorer.score(new float[] {-x, 0.5f});
            // A bin is 0.15 wide: the log-density changes by up to x * 0.075 across it, plus counting noise.
            double tolerance = 0.05 + 0.15 * x;
            assertEquals(x * x / 2.0, plus - centre, tolerance, "x=" + x);
            assertEquals(x * x / 2.0, minus - centre, tolerance, "x=-" + x);
            assertTrue(plus > previous && minus > previous, "x=" + x);
            previous = Math.min(plus, minus);
        }
        // Far outside the training range the score is the large, finite empty-bin value.
        assertTrue(scorer.score(new float[] {-10f, 0.5f}) > scorer.score(new float[] {-3f, 0.5f}) + 3.0);
    }

    @Test
    void scoreIsTheSumOfContributions() {
        SplittableRandom random = new SplittableRandom(3);
        FeatureMatrix data = matrix(5_000, 5, random, (c, r) -> (float) (r.nextGaussian() * (c + 1) + c));
        HbosScorer scorer = new HbosTrainer(30, 0.99).train(data);
        for (int i = 0; i < 1_000; i++) {
            float[] x = new float[5];
            double sum = 0.0;
            for (int c = 0; c < 5; c++) {
                x[c] = (float) (random.nextGaussian() * 3.0 * (c + 1));
                sum += scorer.contribution(c, x[c]);
            }
            assertEquals(sum, scorer.score(x));
        }
    }

    @Test
    void nanAndOutOfRangeValuesGetFiniteScores() {
        FeatureMatrix data = matrix(2_000, 3, new SplittableRandom(4), (c, r) -> (float) r.nextGaussian());
        HbosScorer scorer = new HbosTrainer(20, 0.999).train(data);
        float[][] inputs = {
            {Float.NaN, 0f, 0f}, {Float.POSITIVE_INFINITY, 0f, 0f}, {Float.NEGATIVE_INFINITY, 0f, 0f},
            {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE}, {Float.NaN, Float.NaN, Float.NaN},
        };
        double inside = scorer.score(new float[] {0f, 0f, 0f});
        for (float[] x : inputs) {
            double s = scorer.score(x);
            assertTrue(Double.isFinite(s) && s > inside, java.util.Arrays.toString(x) + " scores " + s);
        }
        // NaN shares the overflow slot with +infinity.
        assertEquals(scorer.contribution(0, Float.POSITIVE_INFINITY), scorer.contribution(0, Float.NaN));
        assertEquals(0, HbosScorer.binOf(0f, 1f, 10, -0.5f));
        assertEquals(1, HbosScorer.binOf(0f, 1f, 10, 0f));
        assertEquals(10, HbosScorer.binOf(0f, 1f, 10, 9.99f));
        assertEquals(11, HbosScorer.binOf(0f, 1f, 10, 10f));
        assertEquals(11, HbosScorer.binOf(0f, 1f, 10, Float.NaN));
    }

    @Test
    void constantFeatureStillSeparatesOtherValues() {
        FeatureMatrix data = matrix(1_000, 1, new SplittableRandom(5), (c, r) -> 5f);
        HbosScorer scorer = new HbosTrainer(10, 1.0).train(data);
        // The range is widened to 1e-3: 5 sits in the first bin, 5.1 overflows.
        assertEquals(1, HbosScorer.binOf(scorer.lo()[0], scorer.inverseWidth()[0], 10, 5f));
        assertTrue(scorer.score(new float[] {5.1f}) > scorer.score(new float[] {5f}) + 6.0);
        assertTrue(scorer.score(new float[] {4.9f}) > scorer.score(new float[] {5f}) + 6.0);
    }

    @Test
    void trainingIsDeterministicAndIndependentOfRowOrder() {
        SplittableRandom random = new SplittableRandom(6);
        int rows = 3_000;
        float[][] values = new float[rows][4];
        for (float[] row : values) {
            for (int c = 0; c < row.length; c++) {
                row[c] = (float) (random.nextGaussian() + (c == 3 ? Math.floor(random.nextDouble() * 3) : 0));
            }
        }
        FeatureMatrix forward = new FeatureMatrix(4);
        FeatureMatrix backward = new FeatureMatrix(4);
        for (int r = 0; r < rows; r++) {
            forward.add(values[r]);
            backward.add(values[rows - 1 - r]);
        }
        HbosTrainer trainer = new HbosTrainer(40, 0.995);
        HbosScorer a = trainer.train(forward);
        HbosScorer b = trainer.train(forward);
        HbosScorer c = new HbosTrainer(40, 0.995).train(backward);
        for (HbosScorer other : List.of(b, c)) {
            assertArrayEquals(a.lo(), other.lo());
            assertArrayEquals(a.inverseWidth(), other.inverseWidth());
            assertArrayEquals(a.negLogDensity(), other.negLogDensity());
        }
        assertEquals(4 * 42, a.negLogDensity().length);
        // The training data itself is unchanged by training (columns are sorted copies).
        float[] first = new float[4];
        forward.copyRow(0, first);
        assertArrayEquals(values[0], first);
    }

    @Test
    void trainerRefusesInvalidSettingsAndEmptyData() {
        assertThrows(IllegalArgumentException.class, () -> new HbosTrainer(1, 0.99));
        assertThrows(IllegalArgumentException.class, () -> new HbosTrainer(10, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new HbosTrainer(10, 1.01));
        assertThrows(IllegalArgumentException.class, () -> new HbosTrainer(10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new HbosTrainer(10, 0.99).train(new FeatureMatrix(3)));
        assertThrows(IllegalArgumentException.class,
                () -> new HbosScorer(new float[2], new float[2], 5, new double[2 * 7 - 1]));
        assertThrows(IllegalArgumentException.class,
                () -> new HbosScorer(new float[2], new float[3], 5, new double[2 * 7]));
        double[] withNaN = new double[14];
        withNaN[5] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> new HbosScorer(new float[2], new float[2], 5, withNaN));
    }

    private static HbosScorer trained() {
        return new HbosTrainer(25, 0.99).train(matrix(4_000, 6, new SplittableRandom(7),
                (c, r) -> (float) (Math.exp(r.nextGaussian()) * (c + 1) - c * 0.37)));
    }

    @Test
    void codecRoundTripGivesBitIdenticalScores(@TempDir Path dir) throws IOException {
        HbosScorer original = trained();
        HbosFamily codec = new HbosFamily();
        assertEquals("hbos", codec.family());
        assertEquals(List.of("hbos.json"), codec.write(original, dir));
        Scorer read = codec.read(dir);
        assertEquals(6, read.featureCount());
        HbosScorer copy = (HbosScorer) read;
        assertArrayEquals(original.lo(), copy.lo());
        assertArrayEquals(original.inverseWidth(), copy.inverseWidth());
        assertArrayEquals(original.negLogDensity(), copy.negLogDensity());
        SplittableRandom random = new SplittableRandom(8);
        float[] x = new float[6];
        for (int i = 0; i < 1_000; i++) {
            for (int c = 0; c < 6; c++) {
                x[c] = (float) (random.nextGaussian() * 10.0);
            }
            if (i % 100 == 0) {
                x[i / 100 % 6] = Float.NaN;
            }
            assertEquals(Double.doubleToRawLongBits(original.score(x)), Double.doubleToRawLongBits(read.score(x)),
                    "vector " + i);
        }
    }

    /** Writes a valid file, lets {@code damage} edit its JSON, and expects the read to fail. */
    private static IOException damaged(Path dir, Consumer<ObjectNode> damage) throws IOException {
        new HbosFamily().write(trained(), dir);
        ObjectMapper json = new ObjectMapper();
        Path file = dir.resolve("hbos.json");
        ObjectNode root = (ObjectNode) json.readTree(file.toFile());
        damage.accept(root);
        json.writeValue(file.toFile(), root);
        return assertThrows(IOException.class, () -> new HbosFamily().read(dir));
    }

    @Test
    void damagedParameterFilesAreRefused(@TempDir Path dir) throws IOException {
        IOException nanDensity = damaged(dir, root -> ((ArrayNode) root.get("negLogDensity")).set(3, root.textNode("NaN")));
        assertTrue(nanDensity.getMessage().contains("non-finite"), nanDensity.getMessage());
        IOException nanLo = damaged(dir, root -> ((ArrayNode) root.get("lo")).set(0, root.textNode("NaN")));
        assertEquals("hbos.json lo[0] is not a number", nanLo.getMessage());
        IOException hugeWidth = damaged(dir, root -> ((ArrayNode) root.get("inverseWidth")).set(1, root.numberNode(1e300)));
        assertEquals("hbos.json inverseWidth[1] is not finite", hugeWidth.getMessage());
        IOException shortDensity = damaged(dir, root -> ((ArrayNode) root.get("negLogDensity")).remove(0));
        assertTrue(shortDensity.getMessage().contains("inconsistent"), shortDensity.getMessage());
        IOException shortLo = damaged(dir, root -> ((ArrayNode) root.get("lo")).remove(5));
        assertTrue(shortLo.getMessage().contains("inconsistent"), shortLo.getMessage());
        IOException wrongBins = damaged(dir, root -> root.put("bins", 24));
        assertTrue(wrongBins.getMessage().contains("inconsistent"), wrongBins.getMessage());
        IOException noBins = damaged(dir, root -> root.remove("bins"));
        assertEquals("hbos.json has no valid bin count", noBins.getMessage());
        IOException noArray = damaged(dir, root -> root.remove("inverseWidth"));
        assertEquals("hbos.json has no array inverseWidth", noArray.getMessage());
        Files.writeString(dir.resolve("hbos.json"), "{ not json");
        assertThrows(IOException.class, () -> new HbosFamily().read(dir));
        Files.delete(dir.resolve("hbos.json"));
        assertThrows(IOException.class, () -> new HbosFamily().read(dir));
    }
}
