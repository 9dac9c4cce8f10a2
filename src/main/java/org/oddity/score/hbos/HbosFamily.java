package org.oddity.score.hbos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * The HBOS family: trained with parameters {@code bins} (per feature, default 50) and
 * {@code upper-quantile} (end of the binned range, default 0.999); stored as {@code hbos.json}
 * (bin origin, inverse width and -log density per feature).
 */
public final class HbosFamily implements ScorerFamily {

    static final String FILE = "hbos.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String family() {
        return HbosScorer.FAMILY;
    }

    @Override
    public ScorerTrainer trainer(Map<String, String> parameters, long seed) {
        TrainingParameters p = new TrainingParameters(HbosScorer.FAMILY, parameters, Set.of("bins", "upper-quantile"));
        // Histograms involve no randomness: the seed is not needed.
        return new HbosTrainer(p.integer("bins", 50, 2, 10_000), p.real("upper-quantile", 0.999, 0.5, 1.0));
    }

    @Override
    public List<String> write(Scorer scorer, Path dir) throws IOException {
        HbosScorer hbos = (HbosScorer) scorer;
        ObjectNode root = JSON.createObjectNode();
        root.put("bins", hbos.bins());
        ArrayNode lo = root.putArray("lo");
        for (float v : hbos.lo()) {
            lo.add(v);
        }
        ArrayNode inverseWidth = root.putArray("inverseWidth");
        for (float v : hbos.inverseWidth()) {
            inverseWidth.add(v);
        }
        ArrayNode density = root.putArray("negLogDensity");
        for (double v : hbos.negLogDensity()) {
            density.add(v);
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), root);
        return List.of(FILE);
    }

    @Override
    public Scorer read(Path dir) throws IOException {
        JsonNode root = JSON.readTree(dir.resolve(FILE).toFile());
        int bins = root.path("bins").asInt(-1);
        float[] lo = floats(root, "lo");
        float[] inverseWidth = floats(root, "inverseWidth");
        JsonNode densityNode = root.path("negLogDensity");
        double[] density = new double[densityNode.size()];
        for (int i = 0; i < density.length; i++) {
            density[i] = densityNode.get(i).isNumber() ? densityNode.get(i).asDouble() : Double.NaN;
        }
        if (bins < 2) {
            throw new IOException(FILE + " has no valid bin count");
        }
        try {
            return new HbosScorer(lo, inverseWidth, bins, density);
        } catch (IllegalArgumentException e) {
            throw new IOException(FILE + ": " + e.getMessage(), e);
        }
    }

    private static float[] floats(JsonNode root, String field) throws IOException {
        JsonNode node = root.path(field);
        if (!node.isArray()) {
            throw new IOException(FILE + " has no array " + field);
        }
        float[] out = new float[node.size()];
        for (int i = 0; i < out.length; i++) {
            if (!node.get(i).isNumber()) {
                throw new IOException(FILE + " " + field + "[" + i + "] is not a number");
            }
            out[i] = (float) node.get(i).asDouble();
            if (!Float.isFinite(out[i])) {
                throw new IOException(FILE + " " + field + "[" + i + "] is not finite");
            }
        }
        return out;
    }
}
