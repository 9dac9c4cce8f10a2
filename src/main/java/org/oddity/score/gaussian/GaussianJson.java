package org.oddity.score.gaussian;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The JSON of the Gaussian families' stored models: written with one mapper, whose doubles read
 * back exactly, and read back checked, naming the file and field on error. A Gaussian is its
 * arrays {@code mean} and {@code covariance}, in the model's root or in one of its components.
 */
final class GaussianJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GaussianJson() {
    }

    /** An empty JSON object, to fill and {@link #write}. */
    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** Writes {@code root} as {@code dir}/{@code file}; returns the file's name. */
    static List<String> write(ObjectNode root, Path dir, String file) throws IOException {
        JSON.writeValue(dir.resolve(file).toFile(), root);
        return List.of(file);
    }

    /** The JSON object stored in {@code dir}/{@code file}; an IOException if it is anything else. */
    static JsonNode readObject(Path dir, String file) throws IOException {
        JsonNode root = JSON.readTree(dir.resolve(file).toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a JSON object");
        }
        return root;
    }

    /** Writes a Gaussian's {@code mean} and {@code covariance} as arrays of {@code node}. */
    static void putGaussian(ObjectNode node, double[] mean, double[] covariance) {
        put(node, "mean", mean);
        put(node, "covariance", covariance);
    }

    /**
     * The Gaussian that {@link #putGaussian} wrote into {@code node}, of dimension {@code d}; an
     * IOException naming {@code where} if its arrays or the Gaussian they make are refused.
     */
    static Gaussian gaussian(JsonNode node, int d, boolean diagonal, String where) throws IOException {
        double[] mean = doubles(node, "mean", d, where);
        double[] covariance = doubles(node, "covariance", diagonal ? d : d * d, where);
        try {
            return diagonal ? Gaussian.diagonal(mean, covariance) : Gaussian.full(mean, covariance);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static void put(ObjectNode node, String field, double[] values) {
        ArrayNode array = node.putArray(field);
        for (double v : values) {
            array.add(v);
        }
    }

    /** The array {@code field} of {@code node}, which must hold exactly {@code length} finite numbers. */
    static double[] doubles(JsonNode node, String field, int length, String file) throws IOException {
        JsonNode array = node.path(field);
        if (!array.isArray()) {
            throw new IOException(file + " has no array " + field);
        }
        if (array.size() != length) {
            throw new IOException(file + " " + field + " has " + array.size() + " values, expected " + length);
        }
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            JsonNode v = array.get(i);
            if (!v.isNumber()) {
                throw new IOException(file + " " + field + "[" + i + "] is not a number");
            }
            out[i] = v.asDouble();
            if (!Double.isFinite(out[i])) {
                throw new IOException(file + " " + field + "[" + i + "] is not finite");
            }
        }
        return out;
    }

    /** Positive integer {@code field} of {@code node}, at most {@code max}. */
    static int positive(JsonNode node, String field, int max, String file) throws IOException {
        JsonNode v = node.path(field);
        if (!v.isInt() || v.asInt() <= 0 || v.asInt() > max) {
            throw new IOException(file + " " + field + " is not an integer in [1, " + max + "]");
        }
        return v.asInt();
    }
}
