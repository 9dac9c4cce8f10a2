package org.oddity.score.iforest;

import org.oddity.score.Scorer;

/**
 * Isolation forest score s(x) = 2^(-E[h(x)] / c(psi)): anomalies are isolated by few random
 * splits, so their mean path length h is short and s approaches 1.
 *
 * <p>Implementation note: Liu, Ting and Zhou, "Isolation Forest" (ICDM 2008). The trees are
 * flattened in pre-order (a node's left child is the next node), and for scoring each node's
 * split feature, split value and right child are interleaved in one int array, so a step down
 * a tree touches one cache line. A leaf stores its depth plus c(size), the expected path length
 * of the unbuilt subtree below it, as in the paper's PathLength.
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
    /** Scoring layout: per node [feature or -1, float bits of value, offset of right child]; offsets are 3 * node. */
    private final int[] packed;

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
        this.packed = new int[3 * nodes];
        for (int i = 0; i < nodes; i++) {
            packed[3 * i] = splitFeature[i];
            packed[3 * i + 1] = Float.floatToRawIntBits(splitValueOrPathLength[i]);
            packed[3 * i + 2] = 3 * rightChild[i];
        }
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
        double total = 0.0;
        for (int root : roots) {
            int at = 3 * root;
            int feature;
            while ((feature = nodes[at]) >= 0) {
                at = x[feature] < Float.intBitsToFloat(nodes[at + 1]) ? at + 3 : nodes[at + 2];
            }
            total += Float.intBitsToFloat(nodes[at + 1]);
        }
        return Math.pow(2.0, -total * inverseTreesTimesC);
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
