package org.oddity.score.gaussian;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
        ObjectNode root = JSON.createObjectNode();
        root.put("features", m.featureCount());
        JsonArrays.put(root, "mean", m.mean());
        JsonArrays.put(root, "covariance", m.covariance());
        JSON.writeValue(dir.resolve(FILE).toFile(), root);
        return List.of(FILE);
    }

    @Override
    public Scorer read(Path dir) throws IOException {
        JsonNode root = JsonArrays.readObject(JSON, dir, FILE);
        int d = JsonArrays.positive(root, "features", MAX_FEATURES, FILE);
        double[] mean = JsonArrays.doubles(root, "mean", d, FILE);
        double[] covariance = JsonArrays.doubles(root, "covariance", d * d, FILE);
        try {
            return new MahalanobisScorer(mean, covariance);
        } catch (IllegalArgumentException e) {
            throw new IOException(FILE + ": " + e.getMessage(), e);
        }
    }
}
