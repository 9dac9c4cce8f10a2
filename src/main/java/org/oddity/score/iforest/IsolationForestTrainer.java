package org.oddity.score.iforest;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.oddity.score.FeatureMatrix;
import org.oddity.score.ScorerTrainer;

/**
 * Grows an {@link IsolationForest}: each tree on a random subsample of psi rows, split on a
 * random non-constant feature at a uniform random value, to the height limit ceil(log2 psi)
 * (Liu, Ting and Zhou 2008, Algorithms 1 and 2).
 *
 * @param trees     trees in the forest (the paper's t = 100)
 * @param subsample rows each tree is grown on (the paper's psi = 256)
 * @param seed      seed the forest is grown from, deterministically
 */
public record IsolationForestTrainer(int trees, int subsample, long seed) implements ScorerTrainer {

    public IsolationForestTrainer {
        if (trees < 1 || subsample < 2) {
            throw new IllegalArgumentException("need at least 1 tree and a subsample of 2: " + trees + ", " + subsample);
        }
    }

    @Override
    public IsolationForest train(FeatureMatrix data) {
        if (data.rows() < 2) {
            throw new IllegalArgumentException("an isolation forest needs at least 2 training rows");
        }
        int psi = Math.min(subsample, data.rows());
        Builder builder = new Builder(data, new SplittableRandom(seed), (int) Math.ceil(Math.log(psi) / Math.log(2)));
        int[] roots = new int[trees];
        int[] all = new int[data.rows()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        for (int t = 0; t < trees; t++) {
            // Partial Fisher-Yates: the first psi entries become a uniform sample without replacement.
            for (int i = 0; i < psi; i++) {
                int j = builder.random.nextInt(i, all.length);
                int swap = all[i];
                all[i] = all[j];
                all[j] = swap;
            }
            roots[t] = builder.size;
            builder.grow(Arrays.copyOf(all, psi), 0, psi, 0);
        }
        return new IsolationForest(data.columns(), psi, roots, Arrays.copyOf(builder.feature, builder.size),
                Arrays.copyOf(builder.value, builder.size), Arrays.copyOf(builder.right, builder.size));
    }

    /** Appends nodes in pre-order to growable parallel arrays. */
    private static final class Builder {
        private final FeatureMatrix data;
        private final SplittableRandom random;
        private final int heightLimit;
        private final float[] min;
        private final float[] max;
        private final int[] candidates;
        private int[] feature = new int[1024];
        private float[] value = new float[1024];
        private int[] right = new int[1024];
        private int size;

        Builder(FeatureMatrix data, SplittableRandom random, int heightLimit) {
            this.data = data;
            this.random = random;
            this.heightLimit = heightLimit;
            this.min = new float[data.columns()];
            this.max = new float[data.columns()];
            this.candidates = new int[data.columns()];
        }

        void grow(int[] rows, int from, int to, int depth) {
            int node = add();
            int n = to - from;
            int chosen = depth >= heightLimit || n <= 1 ? -1 : pickFeature(rows, from, to);
            if (chosen < 0) {
                feature[node] = -1;
                value[node] = (float) (depth + IsolationForest.averagePathLength(n));
                return;
            }
            float split = (float) (min[chosen] + random.nextDouble() * (max[chosen] - min[chosen]));
            if (!(split > min[chosen])) {
                split = Math.nextUp(min[chosen]);
            }
            int mid = from;
            for (int i = from; i < to; i++) {
                if (data.get(rows[i], chosen) < split) {
                    int swap = rows[mid];
                    rows[mid++] = rows[i];
                    rows[i] = swap;
                }
            }
            feature[node] = chosen;
            value[node] = split;
            grow(rows, from, mid, depth + 1);
            right[node] = size;
            grow(rows, mid, to, depth + 1);
        }

        /** A uniformly chosen feature that is not constant over the node's rows, or -1 if all are. */
        private int pickFeature(int[] rows, int from, int to) {
            Arrays.fill(min, Float.POSITIVE_INFINITY);
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            for (int i = from; i < to; i++) {
                for (int f = 0; f < min.length; f++) {
                    float v = data.get(rows[i], f);
                    min[f] = Math.min(min[f], v);
                    max[f] = Math.max(max[f], v);
                }
            }
            int count = 0;
            for (int f = 0; f < min.length; f++) {
                if (max[f] > min[f]) {
                    candidates[count++] = f;
                }
            }
            return count == 0 ? -1 : candidates[random.nextInt(count)];
        }

        private int add() {
            if (size == feature.length) {
                feature = Arrays.copyOf(feature, size * 2);
                value = Arrays.copyOf(value, size * 2);
                right = Arrays.copyOf(right, size * 2);
            }
            return size++;
        }
    }
}
