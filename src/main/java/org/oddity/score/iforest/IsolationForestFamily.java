package org.oddity.score.iforest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.oddity.score.BinaryScorerFile;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerTrainer;
import org.oddity.score.TrainingParameters;

/**
 * The isolation forest family: trained with parameters {@code trees} (default 100) and
 * {@code subsample} (rows per tree, default 256); stored as {@code iforest.bin}: a header (magic, features, subsample, trees, nodes)
 * then the roots and the node arrays, big-endian. Binary, because 100 trees of 256 samples are
 * tens of thousands of nodes.
 */
public final class IsolationForestFamily implements ScorerFamily {

    static final String FILE = "iforest.bin";
    private static final BinaryScorerFile STORED = new BinaryScorerFile(FILE, 0x49464F52, "an isolation forest file");

    @Override
    public String family() {
        return IsolationForest.FAMILY;
    }

    @Override
    public ScorerTrainer trainer(Map<String, String> parameters, long seed) {
        TrainingParameters p = new TrainingParameters(IsolationForest.FAMILY, parameters, Set.of("trees", "subsample"));
        return new IsolationForestTrainer(p.integer("trees", 100, 1, 10_000), p.integer("subsample", 256, 2, 1 << 20),
                seed);
    }

    @Override
    public List<String> write(Scorer scorer, Path dir) throws IOException {
        IsolationForest forest = (IsolationForest) scorer;
        int[] feature = forest.splitFeature();
        float[] value = forest.splitValueOrPathLength();
        int[] right = forest.rightChild();
        return STORED.write(dir, out -> {
            out.writeInt(forest.featureCount());
            out.writeInt(forest.subsample());
            out.writeInt(forest.trees());
            out.writeInt(feature.length);
            for (int root : forest.roots()) {
                out.writeInt(root);
            }
            for (int i = 0; i < feature.length; i++) {
                out.writeInt(feature[i]);
                out.writeFloat(value[i]);
                out.writeInt(right[i]);
            }
        });
    }

    @Override
    public Scorer read(Path dir) throws IOException {
        return STORED.read(dir, in -> {
            int features = in.readInt();
            int subsample = in.readInt();
            int trees = in.readInt();
            int nodes = in.readInt();
            if (features <= 0 || trees <= 0 || nodes <= 0 || nodes > 100_000_000 || trees > nodes) {
                throw new IOException(FILE + " has an implausible header: " + features + " features, " + trees
                        + " trees, " + nodes + " nodes");
            }
            int[] roots = new int[trees];
            for (int t = 0; t < trees; t++) {
                roots[t] = in.readInt();
            }
            int[] feature = new int[nodes];
            float[] value = new float[nodes];
            int[] right = new int[nodes];
            for (int i = 0; i < nodes; i++) {
                feature[i] = in.readInt();
                value[i] = in.readFloat();
                right[i] = in.readInt();
            }
            STORED.requireEnd(in, "node");
            return new IsolationForest(features, subsample, roots, feature, value, right);
        });
    }
}
