package org.oddity.score.gaussian;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/** Writes arrays of doubles into a stored model's JSON and reads them back checked, naming the file and field on error. */
final class JsonArrays {

    private JsonArrays() {
    }

    /** The JSON object stored in {@code dir}/{@code file}; an IOException if it is anything else. */
    static JsonNode readObject(ObjectMapper json, Path dir, String file) throws IOException {
        JsonNode root = json.readTree(dir.resolve(file).toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(file + " is not a JSON object");
        }
        return root;
    }

    /** Writes {@code values} as array {@code field} of {@code node}; Jackson's doubles read back exactly. */
    static void put(ObjectNode node, String field, double[] values) {
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
