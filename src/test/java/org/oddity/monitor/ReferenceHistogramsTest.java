package org.oddity.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.calibrate.SamplingTolerance;
import org.oddity.score.FeatureMatrix;

/**
 * Reference histograms: counting per cell, the JSON file and its checked reading, and the null
 * of the FEATURE_SHIFT test: background windows drawn like the reference reject at level a in a
 * fraction a of trials, within exact binomial bounds at tail mass 1e-6.
 */
class ReferenceHistogramsTest {

    private static final double EPS = 1e-6;

    @TempDir
    Path dir;

    @Test
    void countsEachCellsHeldOutEventsOnTheBinning() {
        FeatureBinning binning = new FeatureBinning(List.of("a", "b"), List.of(new float[] {1f, 2f}, new float[] {5f}));
        FeatureMatrix low = new FeatureMatrix(2);
        low.add(new float[] {0f, 7f});
        low.add(new float[] {1.5f, 0f});
        low.add(new float[] {3f, 1f});
        FeatureMatrix high = new FeatureMatrix(2);
        high.add(new float[] {Float.NaN, 6f});
        ReferenceHistograms reference = ReferenceHistograms.fit(binning, Map.of("low", low, "high", high));
        assertEquals(List.of("high", "low"), List.copyOf(reference.cells()));
        long[] lowCounts = new long[binning.totalSlots()];
        for (int s = 0; s < lowCounts.length; s++) {
            lowCounts[s] = reference.count("low", s);
        }
        // a: zero, [1, 2), overflow; b: overflow, zero, underflow.
        assertArrayEquals(new long[] {1, 0, 1, 1, 1, 1, 1}, lowCounts);
        assertEquals(3, reference.total("low", 1));
        assertEquals(1.0 / 3, reference.probability("low", 0, 2), 1e-15);
        assertEquals(1.0, reference.probability("high", 0, 3), 1e-15);
        assertEquals(0, reference.total("nowhere", 0));
        assertTrue(Double.isNaN(reference.probability("nowhere", 0, 0)));
    }

    @Test
    void fileRoundTripKeepsEdgesAndCountsExactly() throws IOException {
        SplittableRandom random = new SplittableRandom(3L);
        FeatureBinning binning = FeatureBinning.fit(BackgroundFeatures.NAMES, BackgroundFeatures.sample(random, 5_000), 20);
        ReferenceHistograms reference = ReferenceHistograms.fit(binning,
                Map.of("pileup<30", BackgroundFeatures.sample(random, 2_000), "pileup>=30",
                        BackgroundFeatures.sample(random, 3_000)));
        Path file = dir.resolve("reference-histograms.json");
        reference.write(file);
        ReferenceHistograms read = ReferenceHistograms.read(file);
        assertEquals(binning, read.binning());
        assertEquals(reference.cells(), read.cells());
        for (String cell : reference.cells()) {
            for (int s = 0; s < binning.totalSlots(); s++) {
                assertEquals(reference.count(cell, s), read.count(cell, s), cell + " slot " + s);
            }
        }
    }

    @Test
    void stratifiedFileRoundTripKeepsEveryStratumsCountsAndPValues() throws IOException {
        FeatureBinning binning = new FeatureBinning(List.of("a"), List.of(new float[] {1f}));
        SplittableRandom random = new SplittableRandom(5L);
        Map<Integer, ReferenceHistograms.Stratum> strata = new java.util.TreeMap<>();
        for (int stratum : new int[] {31, 32}) {
            long[] p = new long[PValueGrid.bins()];
            long[] randomized = new long[PValueGrid.bins()];
            for (int i = 0; i < 1_000; i++) {
                p[PValueGrid.binOf(random.nextDouble())]++;
                randomized[PValueGrid.binOf(random.nextDouble())]++;
            }
            strata.put(stratum, new ReferenceHistograms.Stratum(1_000, new long[] {400, 300, 300 + stratum}, p, randomized));
        }
        ReferenceHistograms reference = new ReferenceHistograms(binning, Strata.PILEUP_UNITS, Map.of("cell", strata));
        Path file = dir.resolve("reference.json");
        reference.write(file);
        ReferenceHistograms read = ReferenceHistograms.read(file);
        assertEquals(Strata.PILEUP_UNITS, read.strata());
        assertEquals(strata.keySet(), read.strataOf("cell").keySet());
        for (int stratum : strata.keySet()) {
            ReferenceHistograms.Stratum want = strata.get(stratum);
            ReferenceHistograms.Stratum got = read.stratum("cell", stratum);
            assertEquals(want.events(), got.events());
            assertArrayEquals(want.features(), got.features());
            assertArrayEquals(want.pValues(), got.pValues(false));
            assertArrayEquals(want.randomizedPValues(), got.pValues(true));
        }
        assertEquals(400 + 400, read.count("cell", 0));
        assertEquals(null, read.stratum("cell", 33));
    }

    @Test
    void aFileOfTheEarlierLayoutReadsAsOneUnknownStratumPerCell() throws IOException {
        Path file = dir.resolve("old.json");
        Files.writeString(file, "{\"features\": [{\"name\": \"x\", \"edges\": [1]}], \"cells\": {\"c\": [[1, 2, 3]]}}");
        ReferenceHistograms read = ReferenceHistograms.read(file);
        assertEquals(Strata.NONE, read.strata());
        ReferenceHistograms.Stratum only = read.stratum("c", Strata.UNKNOWN);
        assertEquals(6, only.events());
        assertArrayEquals(new long[] {1, 2, 3}, only.features());
        assertEquals(false, only.hasPValues());
    }

    @Test
    void malformedFilesAreRefusedNamingTheFileAndField() throws IOException {
        assertRefused("[]", "ref.json is not a JSON object");
        assertRefused("{\"cells\": {}}", "ref.json has no array features");
        assertRefused("{\"features\": [{\"edges\": []}], \"cells\": {}}", "ref.json features[0].name is not a string");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1, \"two\"]}], \"cells\": {}}",
                "ref.json features[0].edges[1] is not a finite float");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1e300]}], \"cells\": {}}",
                "ref.json features[0].edges[0] is not a finite float");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [2, 1]}], \"cells\": {}}",
                "ref.json: bin edges of x must be finite and strictly increasing: [2.0, 1.0]");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1]}]}", "ref.json has no object cells");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1]}], \"cells\": {\"c\": [[1, 2]]}}",
                "ref.json cells.c[0] is not an array of 3 counts");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1]}], \"cells\": {\"c\": [[1, -2, 3]]}}",
                "ref.json cells.c[0][1] is not a non-negative integer");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1]}], \"cells\": {\"c\": 5}}",
                "ref.json cells.c is not an array of strata");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1]}], \"cells\": {\"c\": [{\"stratum\": \"x\"}]}}",
                "ref.json cells.c[0].stratum is not an integer");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1]}], \"cells\": {\"c\": [{\"stratum\": 3,"
                + " \"events\": 6, \"features\": [[1, 2, 3]], \"pValues\": [1]}]}}",
                "ref.json cells.c[0].pValues is not an array of " + PValueGrid.bins() + " counts");
        assertRefused("{\"features\": [{\"name\": \"x\", \"edges\": [1]}], \"strata\": {\"field\": \"runNumber\","
                + " \"width\": 1}, \"cells\": {}}", "ref.json strata: strata split pileup or instLumi, not runNumber");
    }

    private void assertRefused(String json, String message) throws IOException {
        Path file = dir.resolve("ref.json");
        Files.writeString(file, json);
        IOException e = assertThrows(IOException.class, () -> ReferenceHistograms.read(file));
        assertEquals(message, e.getMessage());
    }

    @Test
    void backgroundWindowsRejectAtTheNominalRateAgainstALargeReference() {
        // 20 quantile bins from 20 000 training events, reference counts from 400 000 held-out ones, and
        // 10 000 windows of 500 events: n / N = 0.00125, so the reference's own noise hardly matters.
        SplittableRandom random = new SplittableRandom(20_250_101L);
        FeatureBinning binning = FeatureBinning.fit(BackgroundFeatures.NAMES, BackgroundFeatures.sample(random, 20_000), 20);
        ReferenceHistograms reference = ReferenceHistograms.fit(binning,
                Map.of("cell", BackgroundFeatures.sample(random, 400_000)));
        int trials = 10_000;
        int[][] rejected = windowRejections(random, binning, reference, trials, 500, new double[] {0.01, 0.1});
        assertRatesWithinBounds(rejected, trials, new double[] {0.01, 0.1});
    }

    @Test
    void aReferenceNoLargerThanTheWindowStillGivesTheNominalRate() {
        // The homogeneity test allows for the reference's noise: a fresh reference of 500 events per
        // trial, as large as the window, keeps the size. A fit to the reference's frequencies would not.
        SplittableRandom random = new SplittableRandom(42L);
        FeatureBinning binning = FeatureBinning.fit(BackgroundFeatures.NAMES, BackgroundFeatures.sample(random, 20_000), 20);
        int trials = 3_000;
        int[][] rejected = new int[BackgroundFeatures.NAMES.size()][2];
        for (int t = 0; t < trials; t++) {
            ReferenceHistograms reference = ReferenceHistograms.fit(binning,
                    Map.of("cell", BackgroundFeatures.sample(random, 500)));
            int[][] one = windowRejections(random, binning, reference, 1, 500, new double[] {0.01, 0.1});
            for (int f = 0; f < rejected.length; f++) {
                rejected[f][0] += one[f][0];
                rejected[f][1] += one[f][1];
            }
        }
        assertRatesWithinBounds(rejected, trials, new double[] {0.01, 0.1});
    }

    /** Per feature and level, the windows whose homogeneity p-value is at most the level. */
    private static int[][] windowRejections(SplittableRandom random, FeatureBinning binning,
            ReferenceHistograms reference, int trials, int events, double[] levels) {
        SummaryLayout layout = new SummaryLayout(List.of("loose"), 20, binning);
        float[] row = new float[binning.features()];
        int[][] rejected = new int[binning.features()][levels.length];
        long[] referenceCounts = reference.countsOf("cell");
        for (int t = 0; t < trials; t++) {
            CellWindowStats stats = new CellWindowStats(0, 1, "cell", Strata.UNKNOWN, "v1", "task", layout);
            for (int e = 0; e < events; e++) {
                BackgroundFeatures.draw(random, 0.0, row);
                stats.addEvent(1, 1, 0.5, 0, row);
            }
            long[] observed = stats.featureHistograms();
            for (int f = 0; f < binning.features(); f++) {
                HistogramTestResult r = LikelihoodRatioTest.stratifiedHomogeneity(List.of(observed),
                        List.of(referenceCounts), binning.slotStart(f), binning.slots(f));
                for (int l = 0; l < levels.length; l++) {
                    if (r.pValue() <= levels[l]) {
                        rejected[f][l]++;
                    }
                }
            }
        }
        return rejected;
    }

    private static void assertRatesWithinBounds(int[][] rejected, int trials, double[] levels) {
        List<String> failures = new ArrayList<>();
        for (int l = 0; l < levels.length; l++) {
            int lower = SamplingTolerance.binomialLower(trials, levels[l], EPS);
            int upper = SamplingTolerance.binomialUpper(trials, levels[l], EPS);
            for (int f = 0; f < rejected.length; f++) {
                if (rejected[f][l] < lower || rejected[f][l] > upper) {
                    failures.add(BackgroundFeatures.NAMES.get(f) + " at " + levels[l] + ": " + rejected[f][l] + " of "
                            + trials + ", accepted [" + lower + ", " + upper + "]");
                }
            }
        }
        assertEquals(List.of(), failures);
    }
}
