package org.oddity.score.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.oddity.score.neural.NetworkData.nearSubspace;
import static org.oddity.score.neural.NetworkData.scaled;
import static org.oddity.score.neural.NetworkData.scores;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerRegistry;
import org.oddity.score.TestMatrices;

/**
 * What both neural families promise: training is bit-identical per seed, the bundle file reads
 * back a network that scores bit-identically, and batched or concurrent scores equal single ones.
 */
class NetworkFamilyTest {

    private static final int D = 12;
    private static final Map<String, String> QUICK = Map.of("epochs", "2");

    private static NetworkScorer train(String name, FeatureMatrix data, long seed) {
        return (NetworkScorer) ScorerRegistry.family(name).orElseThrow().trainer(QUICK, seed).train(data);
    }

    private static void assertBitIdentical(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int r = 0; r < expected.length; r++) {
            assertEquals(Double.doubleToRawLongBits(expected[r]), Double.doubleToRawLongBits(actual[r]), "row " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"autoencoder", "vae-latent"})
    void trainingIsBitIdenticalPerSeed(String name) {
        FeatureMatrix data = nearSubspace(3_000, D, 3, 0.1, 8);
        NetworkScorer a = train(name, data, 11);
        NetworkScorer b = train(name, data, 11);
        NetworkScorer c = train(name, data, 12);
        assertArrayEquals(a.network().parameters(), b.network().parameters());
        assertFalse(Arrays.equals(a.network().parameters(), c.network().parameters()));
        assertBitIdentical(scores(a, data), scores(b, data));
    }

    @ParameterizedTest
    @ValueSource(strings = {"autoencoder", "vae-latent"})
    void codecRoundTripGivesBitIdenticalScores(String name, @TempDir Path dir) throws IOException {
        NetworkScorer original = train(name, nearSubspace(3_000, D, 3, 0.1, 1), 7);
        ScorerFamily family = ScorerRegistry.family(name).orElseThrow();
        assertEquals(List.of(name + ".bin"), family.write(original, dir));
        Scorer read = family.read(dir);
        assertEquals(name, read.family());
        assertEquals(D, read.featureCount());
        assertArrayEquals(original.network().parameters(), ((NetworkScorer) read).network().parameters());
        // Far outside the training range as well as inside it.
        FeatureMatrix wide = scaled(TestMatrices.gaussian(1_000, D, 13), 10);
        assertBitIdentical(scores(original, wide), scores(read, wide));
        assertEquals("log-pt,standardize", family.defaultPreprocessing());
    }

    @ParameterizedTest
    @ValueSource(strings = {"autoencoder", "vae-latent"})
    void batchedAndConcurrentScoresEqualSingleScores(String name) throws Exception {
        NetworkScorer scorer = train(name, nearSubspace(3_000, D, 3, 0.1, 1), 7);
        FeatureMatrix data = TestMatrices.gaussian(4_000, D, 12);
        double[] expected = scores(scorer, data);
        float[] rows = new float[data.rows() * D];
        float[] row = new float[D];
        for (int r = 0; r < data.rows(); r++) {
            data.copyRow(r, row);
            System.arraycopy(row, 0, rows, r * D, D);
        }
        double[] batched = new double[data.rows()];
        scorer.scoreBatch(rows, data.rows(), batched);
        assertBitIdentical(expected, batched);
        // Four threads score the same rows at once: each has its own buffers, so none sees another's values.
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> scores(scorer, data)));
            }
            for (Future<double[]> result : results) {
                assertBitIdentical(expected, result.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
