package org.oddity.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Sketch calibration where its answers are known exactly: small sketches agree with the exact set
 * over the float-rounded scores, ties and rounding count against the event, the threshold form of
 * the test agrees with the p-value form at every score (also when the sketch has compacted), a
 * union and a byte round trip keep every answer, and damaged bytes are refused with the reason.
 */
class SketchCalibrationTest {

    /** n = 5 with a tie at 2, as in {@link CalibrationSetTest}; every score is a float. */
    private static final SketchCalibration SMALL = SketchCalibration.of(new double[] {3, 2, 5, 1, 2}, 12);

    @Test
    void pValuesAndThresholdsOfASmallSetWithTies() {
        assertEquals(5, SMALL.size());
        assertEquals(12, SMALL.k());
        assertEquals(6.0 / 6.0, SMALL.pValue(1.0));
        assertEquals(5.0 / 6.0, SMALL.pValue(1.5));
        assertEquals(5.0 / 6.0, SMALL.pValue(2.0));
        assertEquals(3.0 / 6.0, SMALL.pValue(3.0));
        assertEquals(2.0 / 6.0, SMALL.pValue(5.0));
        assertEquals(1.0 / 6.0, SMALL.pValue(5.0001));
        assertEquals(1.0 / 6.0, SMALL.minimumPValue());
        assertEquals(2.0 / 6.0, SMALL.randomizedPValue(2.0, 0.0));
        assertEquals(3.5 / 6.0, SMALL.randomizedPValue(2.0, 0.5));
        assertEquals(2.5 / 6.0, SMALL.randomizedPValue(2.5, 0.5));
        assertEquals(0.0, SMALL.randomizedPValue(9.0, 0.0));
        // Thresholds lie half a float above the score they must beat: doubles up to it round onto it.
        assertEquals(5.0 + Math.ulp(5.0f) / 2, SMALL.threshold(1.0 / 6.0));
        assertEquals(2.0 + Math.ulp(2.0f) / 2, SMALL.threshold(0.5));
        assertEquals(Double.POSITIVE_INFINITY, SMALL.threshold(1e-9));
        assertEquals(0.0, SMALL.relativeStandardError(0.5), "five scores are held exactly");
    }

    @Test
    void roundingToFloatsTiesNearbyScoresAndCountsThemAgainstTheEvent() {
        // 1 + 1e-9 rounds to the float 1, so both scores are at or above an event scoring 1 + 1e-9.
        SketchCalibration sketch = SketchCalibration.of(new double[] {1.0, 1.0 + 1e-9}, 12);
        CalibrationSet exact = CalibrationSet.of(new double[] {1.0, 1.0 + 1e-9});
        assertEquals(2.0 / 3.0, exact.pValue(1.0 + 1e-9));
        assertEquals(3.0 / 3.0, sketch.pValue(1.0 + 1e-9));
        assertEquals(1.0 / 3.0, sketch.pValue(1.0 + 1e-7), "1 + 1e-7 rounds to the next float up");
        // Scores beyond the float range become infinite, and still order with the rest.
        SketchCalibration wide = SketchCalibration.of(new double[] {-1e300, 0.0, 1e300}, 12);
        assertEquals(4.0 / 4.0, wide.pValue(-1e300));
        assertEquals(3.0 / 4.0, wide.pValue(-1.0));
        assertEquals(2.0 / 4.0, wide.pValue(1e38));
        assertEquals(2.0 / 4.0, wide.pValue(1e39), "1e39 and 1e300 both round to +infinity and tie");
        assertEquals(Double.POSITIVE_INFINITY, wide.threshold(0.3), "no score beats an infinite one");
    }

    @Test
    void emptySketchGivesPValueOneAndNoReachableThreshold() {
        SketchCalibration empty = SketchCalibration.of(new double[0], 12);
        assertEquals(0, empty.size());
        assertEquals(1.0, empty.pValue(3.0));
        assertEquals(1.0, empty.minimumPValue());
        assertEquals(Double.POSITIVE_INFINITY, empty.threshold(0.5));
        SketchCalibration copy = SketchCalibration.fromBytes(empty.toBytes());
        assertEquals(0, copy.size());
        assertEquals(1.0, copy.pValue(3.0));
    }

    @Test
    void badScoresAndBadKAreRefused() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> SketchCalibration.of(new double[] {1.0, Double.NaN}, 12));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        for (int k : new int[] {2, 13, 1026}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SketchCalibration.Builder(k));
            assertEquals("sketch k must be even and in [4, 1024]: " + k, e.getMessage());
        }
    }

    /** Scores at and between the calibration values, at their float neighbours and at the rounding midpoints. */
    private static double[] probes(double[] scores) {
        List<Double> probes = new ArrayList<>(List.of(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -1e300,
                1e300, -0.0, 0.0, Double.NaN, (double) Float.MAX_VALUE, -(double) Float.MAX_VALUE));
        for (double s : scores) {
            probes.add(s);
            probes.add(Math.nextUp(s));
            probes.add(Math.nextDown(s));
            float f = (float) s;
            if (Float.isFinite(f)) {
                double midpoint = ((double) f + Math.nextUp(f)) / 2.0;
                probes.addAll(List.of(midpoint, Math.nextUp(midpoint), Math.nextDown(midpoint), s + 0.25, s - 0.25));
            }
        }
        return probes.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] rounded(double[] scores) {
        double[] out = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = (float) scores[i];
        }
        return out;
    }

    @Test
    void anExactSketchIsTheExactSetOfTheRoundedScoresAndNeverBelowTheExactSet() {
        // Up to 3k scores the sketch keeps every one (DataSketches' exact-rank rule).
        SplittableRandom random = new SplittableRandom(31);
        int checked = 0;
        for (int trial = 0; trial < 1_000; trial++) {
            double[] scores = RandomScoreSets.draw(random, 3 * 12 + 1);
            SketchCalibration sketch = SketchCalibration.of(scores, 12);
            CalibrationSet exact = CalibrationSet.of(scores);
            CalibrationSet roundedExact = CalibrationSet.of(rounded(scores));
            double u = random.nextDouble();
            for (double s : probes(scores)) {
                double p = sketch.pValue(s);
                assertEquals(roundedExact.pValue((float) s), p, () -> "s=" + s + " in " + Arrays.toString(scores));
                assertTrue(p >= exact.pValue(s), () -> "s=" + s + " below the exact p in " + Arrays.toString(scores));
                assertEquals(roundedExact.randomizedPValue((float) s, u), sketch.randomizedPValue(s, u), 1e-15,
                        () -> "randomized, s=" + s + " in " + Arrays.toString(scores));
                checked++;
            }
        }
        assertTrue(checked > 50_000, "checked " + checked);
    }

    @Test
    void thresholdIsEquivalentToThePValueTestAlsoAfterCompaction() {
        SplittableRandom random = new SplittableRandom(32);
        int checked = 0;
        for (int trial = 0; trial < 150; trial++) {
            // Half the sets are large enough that the sketch compacts and its counts are estimates.
            double[] scores = RandomScoreSets.draw(random, trial % 2 == 0 ? 60 : 3_000);
            SketchCalibration sketch = SketchCalibration.of(scores, 4 + 2 * random.nextInt(6));
            int n = scores.length;
            List<Double> alphas = new ArrayList<>(List.of(1e-6, 1e-3, 0.01, 0.1, 0.5, 0.999));
            for (int i = 0; i < 8; i++) {
                double reachable = (1 + random.nextInt(n + 1)) / (n + 1.0);
                alphas.addAll(List.of(reachable, Math.nextUp(reachable), Math.nextDown(reachable)));
            }
            double[] probes = probes(scores.length > 200 ? Arrays.copyOf(scores, 200) : scores);
            for (double alpha : alphas) {
                if (!(alpha > 0.0 && alpha < 1.0)) {
                    continue;
                }
                double threshold = sketch.threshold(alpha);
                for (double s : probes) {
                    if (Double.isNaN(s)) {
                        continue;
                    }
                    if ((sketch.pValue(s) <= alpha) != (s > threshold)) {
                        throw new AssertionError("alpha=" + alpha + " s=" + s + ": pValue=" + sketch.pValue(s)
                                + " threshold=" + threshold + ", n=" + n + ", k=" + sketch.k());
                    }
                    checked++;
                }
                if (alpha < sketch.minimumPValue()) {
                    assertEquals(Double.POSITIVE_INFINITY, threshold);
                }
            }
        }
        assertTrue(checked > 250_000, "checked " + checked);
    }

    @Test
    void randomizedPValueLiesBetweenItsBoundsAfterCompaction() {
        SplittableRandom random = new SplittableRandom(33);
        for (int trial = 0; trial < 50; trial++) {
            double[] scores = RandomScoreSets.draw(random, 5_000);
            SketchCalibration sketch = SketchCalibration.of(scores, 8);
            double[] probes = probes(scores.length > 100 ? Arrays.copyOf(scores, 100) : scores);
            for (double s : probes) {
                double u = random.nextDouble();
                double p = sketch.randomizedPValue(s, u);
                double low = sketch.randomizedPValue(s, 0.0);
                assertTrue(p >= low && p <= sketch.pValue(s), p + " outside [" + low + ", " + sketch.pValue(s) + "]");
                assertEquals(sketch.pValue(s), sketch.randomizedPValue(s, Math.nextDown(1.0)), 1e-12);
            }
        }
    }

    @Test
    void theHighestScoresStayExactSoTheSmallestPValueIsReached() {
        SplittableRandom random = new SplittableRandom(34);
        double[] scores = new double[100_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = -Math.log(random.nextDouble());
        }
        SketchCalibration sketch = SketchCalibration.of(scores, 12);
        CalibrationSet exact = CalibrationSet.of(scores);
        double[] sorted = exact.sortedScores();
        assertEquals(1.0 / 100_001, sketch.pValue(Math.nextUp((float) sorted[sorted.length - 1])));
        // The highest 3k = 36 scores carry weight one: their p-values are exact.
        for (int i = sorted.length - 36; i < sorted.length; i++) {
            assertEquals(exact.pValue(sorted[i]), sketch.pValue(sorted[i]), "score rank " + i);
        }
        assertEquals(0.0, sketch.relativeStandardError(36.0 / 100_000));
        assertEquals(0.1306394529 / 12, sketch.relativeStandardError(0.01), 1e-10);
        assertTrue(sketch.memoryBytes() < 40_000, sketch.memoryBytes() + " bytes");
    }

    @Test
    void aUnionCountsEveryPartAndAnExactUnionIsTheExactUnion() {
        SplittableRandom random = new SplittableRandom(35);
        for (int trial = 0; trial < 200; trial++) {
            List<SketchCalibration> parts = new ArrayList<>();
            List<CalibrationSet> exactParts = new ArrayList<>();
            int count = random.nextInt(1, 5);
            for (int i = 0; i < count; i++) {
                double[] scores = RandomScoreSets.draw(random, 9);
                parts.add(SketchCalibration.of(scores, 12));
                exactParts.add(CalibrationSet.of(rounded(scores)));
            }
            SketchCalibration union = SketchCalibration.union(parts);
            CalibrationSet exact = CalibrationSet.union(exactParts);
            assertEquals(exact.size(), union.size());
            for (double s : probes(exact.sortedScores())) {
                assertEquals(exact.pValue((float) s), union.pValue(s), "s=" + s);
            }
        }
        SketchCalibration big = SketchCalibration.union(List.of(SketchCalibration.of(new double[50_000], 12),
                SketchCalibration.of(new double[30_000], 12)));
        assertEquals(80_000, big.size());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> SketchCalibration.union(List.of(SMALL, SketchCalibration.of(new double[] {1}, 16))));
        assertEquals("cannot merge sketches of k = 12 and k = 16: their error bounds differ", mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SketchCalibration.union(List.of()));
    }

    @Test
    void aBuilderGoesOnAddingAfterItBuilds() {
        SketchCalibration.Builder builder = new SketchCalibration.Builder(12).add(1.0).add(2.0);
        SketchCalibration first = builder.build();
        SketchCalibration second = builder.add(3.0).build();
        assertEquals(2, first.size());
        assertEquals(3, second.size());
        assertEquals(2.0 / 3.0, first.pValue(2.0));
        assertEquals(3.0 / 4.0, second.pValue(2.0));
    }

    @Test
    void bytesRoundTripAfterCompaction() {
        SplittableRandom random = new SplittableRandom(36);
        double[] scores = new double[20_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = random.nextGaussian();
        }
        SketchCalibration sketch = SketchCalibration.of(scores, 12);
        byte[] bytes = sketch.toBytes();
        SketchCalibration copy = SketchCalibration.fromBytes(bytes);
        assertEquals(sketch.size(), copy.size());
        assertEquals(sketch.k(), copy.k());
        assertArrayEquals(bytes, copy.toBytes());
        for (double s : probes(Arrays.copyOf(scores, 500))) {
            assertEquals(sketch.pValue(s), copy.pValue(s));
            assertEquals(sketch.randomizedPValue(s, 0.3), copy.randomizedPValue(s, 0.3));
        }
        assertEquals(sketch.threshold(0.01), copy.threshold(0.01));
    }

    private static String refusal(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> SketchCalibration.fromBytes(bytes)).getMessage();
    }

    /** {@code bytes} with the trailing CRC-32C recomputed, as a writer of a wrong header would leave them. */
    private static byte[] withCrc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }

    @Test
    void damagedBytesAreRefusedWithTheReason() {
        double[] scores = new double[5_000];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i * 0.5;
        }
        byte[] good = SketchCalibration.of(scores, 12).toBytes();
        String prefix = "corrupt sketch calibration bytes: ";

        assertEquals(prefix + "truncated at 3 bytes", refusal(Arrays.copyOf(good, 3)));
        assertEquals(prefix + (good.length - 1) + " bytes in all, but the header announces a sketch of "
                + (good.length - 25), refusal(Arrays.copyOf(good, good.length - 1)));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        assertEquals(prefix + "CRC-32C mismatch", refusal(flipped));
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertEquals(prefix + "they do not start with the sketch calibration magic number", refusal(magic));
        byte[] version = good.clone();
        version[4] = 9;
        assertEquals(prefix + "format version 9; this oddity reads 1", refusal(version));
        // A header that disagrees with its sketch, under a valid checksum.
        byte[] wrongN = good.clone();
        ByteBuffer.wrap(wrongN).putLong(9, 4_999);
        assertEquals(prefix + "the header says k = 12, n = 4999 (high-rank accuracy), the sketch has k = 12,"
                + " n = 5000 (high-rank accuracy true)", refusal(withCrc(wrongN)));
        byte[] garbage = good.clone();
        Arrays.fill(garbage, 21, garbage.length - 4, (byte) 0x7f);
        assertTrue(refusal(withCrc(garbage)).startsWith(prefix + "the REQ image does not read: "),
                refusal(withCrc(garbage)));
        assertEquals(prefix + "truncated at 0 bytes", refusal(new byte[0]));
    }
}
