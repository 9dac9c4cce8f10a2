package org.oddity.score.iforest;

import org.oddity.score.Scorer;

/**
 * Isolation forest score s(x) = 2^(-E[h(x)] / c(psi)): anomalies are isolated by few random
 * splits, so their mean path length h is short and s approaches 1.
 *
 * <p>Implementation note: Liu, Ting and Zhou, "Isolation Forest" (ICDM 2008). The trees are
 * flattened in pre-order (a node's left child is the next node). For scoring, each node's split
 * feature, split value and both children are interleaved in one int array, and every leaf
 * points back to itself: each tree then takes exactly {@code height} steps, with no test for
 * having reached a leaf and a left/right choice the JIT can make without a branch, so the
 * unpredictable comparisons cost no mispredictions. Four trees are walked side by side so
 * their loads overlap. A leaf's path length is its depth plus c(size), the expected path
 * length of the unbuilt subtree below it, as in the paper's PathLength.
 */
public final class IsolationForest implements Scorer {

    /** Family name in bundle manifests. */
    public static final String FAMILY = "iforest";

    private final int features;
    private final int subsample;
    private final int[] roots;
    /** Split feature of an inner node, or -1 for a leaf. */
    private final int[] splitFeature;
    /** Split value of an inner node; the leaf's path length (depth + c(size)) for a leaf. */
    private final float[] splitValueOrPathLength;
    private final int[] rightChild;
    private final double inverseTreesTimesC;
    /** Scoring layout: per node [feature, float bits of split, offset of left, offset of right]; offset = 4 * node. */
    private final int[] packed;
    /** Path length at each leaf, indexed by offset / 4. */
    private final float[] leafPathLength;
    /** Depth of the deepest leaf: the steps that bring every walk to its leaf. */
    private final int height;

    IsolationForest(int features, int subsample, int[] roots, int[] splitFeature, float[] splitValueOrPathLength,
            int[] rightChild) {
        int nodes = splitFeature.length;
        if (features <= 0 || roots.length == 0 || subsample < 2 || splitValueOrPathLength.length != nodes
                || rightChild.length != nodes) {
            throw new IllegalArgumentException("inconsistent isolation forest arrays");
        }
        for (int root : roots) {
            if (root < 0 || root >= nodes) {
                throw new IllegalArgumentException("tree root " + root + " outside the node arrays");
            }
        }
        for (int i = 0; i < nodes; i++) {
            if (!Float.isFinite(splitValueOrPathLength[i])) {
                throw new IllegalArgumentException("node " + i + " has a non-finite split value or path length");
            }
            if (splitFeature[i] >= features || splitFeature[i] < -1) {
                throw new IllegalArgumentException("node " + i + " splits on feature " + splitFeature[i]);
            }
            if (splitFeature[i] >= 0 && (i + 1 >= nodes || rightChild[i] <= i || rightChild[i] >= nodes)) {
                throw new IllegalArgumentException("node " + i + " has children outside the node arrays");
            }
        }
        this.features = features;
        this.roots = roots.clone();
        this.splitFeature = splitFeature.clone();
        this.splitValueOrPathLength = splitValueOrPathLength.clone();
        this.rightChild = rightChild.clone();
        this.subsample = subsample;
        this.inverseTreesTimesC = 1.0 / (roots.length * averagePathLength(subsample));
        this.packed = new int[4 * nodes];
        this.leafPathLength = new float[nodes];
        for (int i = 0; i < nodes; i++) {
            boolean leaf = splitFeature[i] < 0;
            packed[4 * i] = leaf ? 0 : splitFeature[i];
            packed[4 * i + 1] = Float.floatToRawIntBits(splitValueOrPathLength[i]);
            packed[4 * i + 2] = 4 * (leaf ? i : i + 1);
            packed[4 * i + 3] = 4 * (leaf ? i : rightChild[i]);
            leafPathLength[i] = leaf ? splitValueOrPathLength[i] : 0f;
        }
        int deepest = 0;
        for (int root : roots) {
            deepest = Math.max(deepest, depth(root, 0));
        }
        this.height = deepest;
    }

    /** Depth of the deepest leaf below {@code node}, which is at {@code depth}. */
    private int depth(int node, int depth) {
        if (splitFeature[node] < 0) {
            return depth;
        }
        return Math.max(depth(node + 1, depth + 1), depth(rightChild[node], depth + 1));
    }

    /**
     * c(n) = 2 H(n - 1) - 2 (n - 1) / n: the average path length of an unsuccessful search in a
     * binary search tree of n points (Liu et al. 2008, eq. 1), H the harmonic number.
     */
    static double averagePathLength(int n) {
        if (n <= 1) {
            return 0.0;
        }
        if (n == 2) {
            return 1.0;
        }
        double harmonic = Math.log(n - 1.0) + 0.5772156649015329;
        return 2.0 * harmonic - 2.0 * (n - 1.0) / n;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int featureCount() {
        return features;
    }

    @Override
    public double score(float[] x) {
        final int[] nodes = packed;
        final int steps = height;
        double total = 0.0;
        int t = 0;
        for (; t + 4 <= roots.length; t += 4) {
            int a = 4 * roots[t];
            int b = 4 * roots[t + 1];
            int c = 4 * roots[t + 2];
            int d = 4 * roots[t + 3];
            for (int s = 0; s < steps; s++) {
                a = step(nodes, a, x);
                b = step(nodes, b, x);
                c = step(nodes, c, x);
                d = step(nodes, d, x);
            }
            total += leafPathLength[a >> 2] + leafPathLength[b >> 2] + leafPathLength[c >> 2] + leafPathLength[d >> 2];
        }
        for (; t < roots.length; t++) {
            int at = 4 * roots[t];
            for (int s = 0; s < steps; s++) {
                at = step(nodes, at, x);
            }
            total += leafPathLength[at >> 2];
        }
        return Math.pow(2.0, -total * inverseTreesTimesC);
    }

    /** One step down from node offset {@code at}; a leaf steps to itself. */
    private static int step(int[] nodes, int at, float[] x) {
        return x[nodes[at]] < Float.intBitsToFloat(nodes[at + 1]) ? nodes[at + 2] : nodes[at + 3];
    }

    int trees() {
        return roots.length;
    }

    int subsample() {
        return subsample;
    }

    int[] roots() {
        return roots.clone();
    }

    int[] splitFeature() {
        return splitFeature.clone();
    }

    float[] splitValueOrPathLength() {
        return splitValueOrPathLength.clone();
    }

    int[] rightChild() {
        return rightChild.clone();
    }
}
