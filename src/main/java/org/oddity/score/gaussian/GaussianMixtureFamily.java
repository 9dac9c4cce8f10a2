package org.oddity.score.gaussian;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * The gmm family: trained with parameters {@code components} (default 4), {@code iterations}
 * (at most this many EM steps per fit, default 100), {@code covariance} ({@code full} or
 * {@code diag}, default full) and {@code n_init} (fits from different k-means seedings, the best
 * likelihood kept, default 1), with scikit-learn's {@code GaussianMixture} defaults and names;
 * stored as {@code gmm.json} (features, covariance type, weights, and per component its mean
 * and covariance, row-major if full, variances if diagonal). Doubles are written in shortest
 * round-trip form, so a read model scores bit-identically.
 */
public final class GaussianMixtureFamily implements ScorerFamily {

    static final String FILE = "gmm.json";
    private static final int MAX_COMPONENTS = 1024;

    @Override
    public String family() {
        return GaussianMixture.FAMILY;
    }

    @Override
    public ScorerTrainer trainer(Map<String, String> parameters, long seed) {
        TrainingParameters p = new TrainingParameters(GaussianMixture.FAMILY, parameters,
                Set.of("components", "iterations", "covariance", "n_init"));
        String covariance = parameters.getOrDefault("covariance", "full").trim();
        if (!covariance.equals("full") && !covariance.equals("diag")) {
            throw new IllegalArgumentException(GaussianMixture.FAMILY + " parameter covariance=" + covariance
                    + ": expected full or diag");
        }
        return new GaussianMixtureTrainer(p.integer("components", 4, 1, MAX_COMPONENTS),
                p.integer("iterations", 100, 0, 100_000), covariance.equals("diag"), p.integer("n_init", 1, 1, 1000),
                seed);
    }

    @Override
    public List<String> write(Scorer scorer, Path dir) throws IOException {
        GaussianMixture mixture = (GaussianMixture) scorer;
        ObjectNode root = GaussianJson.object();
        root.put("features", mixture.featureCount());
        root.put("covariance", mixture.isDiagonal() ? "diag" : "full");
        root.put("components", mixture.componentCount());
        ArrayNode weights = root.putArray("weights");
        ArrayNode components = root.putArray("component");
        for (int k = 0; k < mixture.componentCount(); k++) {
            weights.add(mixture.weight(k));
            Gaussian g = mixture.component(k);
            GaussianJson.putGaussian(components.addObject(), g.mean(), g.covariance());
        }
        return GaussianJson.write(root, dir, FILE);
    }

    @Override
    public Scorer read(Path dir) throws IOException {
        JsonNode root = GaussianJson.readObject(dir, FILE);
        int d = GaussianJson.positive(root, "features", MahalanobisFamily.MAX_FEATURES, FILE);
        int count = GaussianJson.positive(root, "components", MAX_COMPONENTS, FILE);
        String type = root.path("covariance").asText("");
        if (!type.equals("full") && !type.equals("diag")) {
            throw new IOException(FILE + " covariance is neither full nor diag: " + type);
        }
        boolean diagonal = type.equals("diag");
        double[] weights = GaussianJson.doubles(root, "weights", count, FILE);
        JsonNode components = root.path("component");
        if (!components.isArray() || components.size() != count) {
            throw new IOException(FILE + " component is not an array of " + count + " components");
        }
        Gaussian[] gaussians = new Gaussian[count];
        try {
            for (int k = 0; k < count; k++) {
                gaussians[k] = GaussianJson.gaussian(components.get(k), d, diagonal, FILE + " component " + k);
            }
            return new GaussianMixture(weights, gaussians);
        } catch (IllegalArgumentException e) {
            throw new IOException(FILE + ": " + e.getMessage(), e);
        }
    }
}
