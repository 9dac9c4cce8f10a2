package org.oddity.score.gaussian;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerTrainer;
import org.oddity.score.TrainingParameters;

/**
 * The mahalanobis family: no training parameters; stored as {@code mahalanobis.json} (feature
 * count, mean, row-major covariance including the ridge). Doubles are written in shortest
 * round-trip form, so a read model scores bit-identically.
 */
public final class MahalanobisFamily implements ScorerFamily {

    static final String FILE = "mahalanobis.json";
    /** Upper bound on features, so a corrupt header cannot ask for a huge allocation. */
    static final int MAX_FEATURES = 4096;

    @Override
    public String family() {
        return MahalanobisScorer.FAMILY;
    }

    @Override
    public ScorerTrainer trainer(Map<String, String> parameters, long seed) {
        // The family takes no parameters, so constructing this rejects any name given.
        new TrainingParameters(MahalanobisScorer.FAMILY, parameters, Set.of());
        // Mean and covariance are exact sample statistics: the seed is not needed.
        return new MahalanobisTrainer();
    }

    @Override
    public List<String> write(Scorer scorer, Path dir) throws IOException {
        MahalanobisScorer m = (MahalanobisScorer) scorer;
        ObjectNode root = GaussianJson.object();
        root.put("features", m.featureCount());
        GaussianJson.putGaussian(root, m.mean(), m.covariance());
        return GaussianJson.write(root, dir, FILE);
    }

    @Override
    public Scorer read(Path dir) throws IOException {
        JsonNode root = GaussianJson.readObject(dir, FILE);
        int d = GaussianJson.positive(root, "features", MAX_FEATURES, FILE);
        return new MahalanobisScorer(GaussianJson.gaussian(root, d, false, FILE));
    }
}
