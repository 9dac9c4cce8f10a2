package org.oddity.score;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset and scikit-learn's values on it, written by {@code reference/make_reference.py}: the
 * training rows, the held-out rows, and the reference figures the scorers are compared with.
 *
 * @param train    the first rows, which the models are fitted to
 * @param heldOut  the remaining rows, which they are evaluated on
 * @param expected the script's key,value figures
 * @param iforest  scikit-learn's isolation forest score of each held-out row, larger more anomalous
 */
public record ReferenceData(FeatureMatrix train, float[][] heldOut, Map<String, String> expected,
        double[] iforest) {

    /** The dataset {@code name} (e.g. {@code heavy8}) from the test resources. */
    public static ReferenceData load(String name) {
        Map<String, String> expected = new HashMap<>();
        for (String line : lines(name + "-expected.csv")) {
            String[] kv = line.split(",", 2);
            expected.put(kv[0], kv[1]);
        }
        int trainRows = Integer.parseInt(expected.get("train"));
        List<String> rows = lines(name + ".csv");
        int d = rows.get(0).split(",").length;
        FeatureMatrix train = new FeatureMatrix(d);
        float[][] heldOut = new float[rows.size() - trainRows][];
        for (int r = 0; r < rows.size(); r++) {
            String[] tokens = rows.get(r).split(",");
            float[] row = new float[d];
            for (int c = 0; c < d; c++) {
                row[c] = Float.parseFloat(tokens[c]);
            }
            if (r < trainRows) {
                train.add(row);
            } else {
                heldOut[r - trainRows] = row;
            }
        }
        double[] iforest = lines(name + "-iforest.csv").stream().mapToDouble(Double::parseDouble).toArray();
        return new ReferenceData(train, heldOut, Map.copyOf(expected), iforest);
    }

    /** The script's figure {@code key} as a number. */
    public double number(String key) {
        String value = expected.get(key);
        if (value == null) {
            throw new IllegalArgumentException("no reference figure " + key);
        }
        return Double.parseDouble(value);
    }

    /** Mean over the held-out rows of log p(x) = -s(x), for a scorer whose score is -log p. */
    public double meanLogLikelihood(Scorer scorer) {
        double sum = 0.0;
        for (float[] row : heldOut) {
            sum -= scorer.score(row);
        }
        return sum / heldOut.length;
    }

    /** Spearman's rank correlation: Pearson's correlation of the ranks, ties given their mean rank. */
    public static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a);
        double[] rb = ranks(b);
        double mean = (a.length + 1) / 2.0;
        double ab = 0.0;
        double aa = 0.0;
        double bb = 0.0;
        for (int i = 0; i < a.length; i++) {
            ab += (ra[i] - mean) * (rb[i] - mean);
            aa += (ra[i] - mean) * (ra[i] - mean);
            bb += (rb[i] - mean) * (rb[i] - mean);
        }
        return ab / Math.sqrt(aa * bb);
    }

    private static double[] ranks(double[] values) {
        Integer[] order = new Integer[values.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (i, j) -> Double.compare(values[i], values[j]));
        double[] ranks = new double[values.length];
        for (int start = 0; start < order.length;) {
            int end = start;
            while (end + 1 < order.length && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            for (int i = start; i <= end; i++) {
                ranks[order[i]] = (start + end) / 2.0 + 1.0;
            }
            start = end + 1;
        }
        return ranks;
    }

    private static List<String> lines(String file) {
        try (InputStream in = ReferenceData.class.getResourceAsStream("/reference/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource reference/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().filter(l -> !l.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
