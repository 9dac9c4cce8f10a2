package org.oddity.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link ReferenceHistograms} as one JSON file in a model bundle.
 *
 * <p>File layout: {@code {"features": [{"name": ..., "edges": [...]}, ...], "strata": {"field":
 * "pileup", "width": 1.0}, "cells": {"CELL": [{"stratum": 31, "events": n, "features": [[counts of
 * feature 0 by slot], ...], "pValues": [...], "randomizedPValues": [...]}, ...], ...}}}. Edges are
 * written as the doubles equal to the floats, so they read back exactly. A file of an earlier
 * version, with one list of feature histograms per cell and no strata, reads as one unknown
 * stratum per cell without p-values.
 */
final class ReferenceFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceFile() {
    }

    /** Writes the binning, the strata and the counts of {@code reference} to {@code file}. */
    static void write(ReferenceHistograms reference, Path file) throws IOException {
        FeatureBinning binning = reference.binning();
        ObjectNode root = JSON.createObjectNode();
        ArrayNode features = root.putArray("features");
        for (int f = 0; f < binning.features(); f++) {
            ObjectNode feature = features.addObject();
            feature.put("name", binning.featureNames().get(f));
            ArrayNode edges = feature.putArray("edges");
            for (float e : binning.edges(f)) {
                edges.add((double) e);
            }
        }
        Strata strata = reference.strata();
        if (strata.splits()) {
            ObjectNode split = root.putObject("strata");
            split.put("field", strata.field());
            split.put("width", strata.width());
        }
        ObjectNode cells = root.putObject("cells");
        for (String cell : reference.cells()) {
            ArrayNode list = cells.putArray(cell);
            for (Map.Entry<Integer, ReferenceHistograms.Stratum> e : reference.strataOf(cell).entrySet()) {
                writeStratum(list.addObject(), e.getKey(), e.getValue(), binning);
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    private static void writeStratum(ObjectNode node, int index, ReferenceHistograms.Stratum stratum,
            FeatureBinning binning) {
        node.put("stratum", index);
        node.put("events", stratum.events());
        ArrayNode perFeature = node.putArray("features");
        for (int f = 0; f < binning.features(); f++) {
            ArrayNode counts = perFeature.addArray();
            for (int k = 0; k < binning.slots(f); k++) {
                counts.add(stratum.features()[binning.slotStart(f) + k]);
            }
        }
        if (stratum.hasPValues()) {
            ArrayNode conservative = node.putArray("pValues");
            ArrayNode randomized = node.putArray("randomizedPValues");
            for (int j = 0; j < PValueGrid.bins(); j++) {
                conservative.add(stratum.pValues()[j]);
                randomized.add(stratum.randomizedPValues()[j]);
            }
        }
    }

    /** Reads a file written by {@link #write}; an IOException naming the file and the field if it is malformed. */
    static ReferenceHistograms read(Path file) throws IOException {
        String name = file.getFileName().toString();
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(name + " is not a JSON object");
        }
        FeatureBinning binning = readBinning(root, name);
        Strata strata = readStrata(root, name);
        Map<String, Map<Integer, ReferenceHistograms.Stratum>> byCell = readCells(root, binning, name);
        try {
            return new ReferenceHistograms(binning, strata, byCell);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    private static FeatureBinning readBinning(JsonNode root, String name) throws IOException {
        JsonNode features = array(root, "features", name);
        List<String> names = new ArrayList<>();
        List<float[]> edges = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            String at = name + " features[" + f + "]";
            JsonNode feature = features.get(f);
            if (!feature.path("name").isTextual()) {
                throw new IOException(at + ".name is not a string");
            }
            names.add(feature.get("name").asText());
            edges.add(floats(array(feature, "edges", at), at + ".edges"));
        }
        try {
            return new FeatureBinning(names, edges);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /** The strata of the file, {@link Strata#NONE} for a file without them. */
    private static Strata readStrata(JsonNode root, String name) throws IOException {
        JsonNode split = root.path("strata");
        if (split.isMissingNode()) {
            return Strata.NONE;
        }
        if (!split.path("field").isTextual() || !split.path("width").isNumber()) {
            throw new IOException(name + " strata needs a string field and a number width");
        }
        try {
            return new Strata(split.get("field").asText(), split.get("width").asDouble());
        } catch (IllegalArgumentException e) {
            throw new IOException(name + " strata: " + e.getMessage(), e);
        }
    }

    private static Map<String, Map<Integer, ReferenceHistograms.Stratum>> readCells(JsonNode root,
            FeatureBinning binning, String name) throws IOException {
        JsonNode cells = root.path("cells");
        if (!cells.isObject()) {
            throw new IOException(name + " has no object cells");
        }
        Map<String, Map<Integer, ReferenceHistograms.Stratum>> byCell = new TreeMap<>();
        for (Map.Entry<String, JsonNode> cell : cells.properties()) {
            byCell.put(cell.getKey(), readCell(cell.getValue(), binning, name + " cells." + cell.getKey()));
        }
        return byCell;
    }

    /** One cell's strata by index; a cell of the earlier layout, a list of feature histograms, is one unknown stratum. */
    private static Map<Integer, ReferenceHistograms.Stratum> readCell(JsonNode list, FeatureBinning binning,
            String where) throws IOException {
        if (!list.isArray()) {
            throw new IOException(where + " is not an array of strata");
        }
        Map<Integer, ReferenceHistograms.Stratum> strata = new TreeMap<>();
        if (list.size() > 0 && list.get(0).isArray()) {
            strata.put(Strata.UNKNOWN, ReferenceHistograms.Stratum.unstratified(binning, counts(list, binning, where)));
            return strata;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = where + "[" + i + "]";
            if (!node.path("stratum").canConvertToInt() || !node.path("stratum").isIntegralNumber()) {
                throw new IOException(at + ".stratum is not an integer");
            }
            strata.put(node.get("stratum").asInt(), readStratum(node, binning, at));
        }
        return strata;
    }

    private static ReferenceHistograms.Stratum readStratum(JsonNode node, FeatureBinning binning, String at)
            throws IOException {
        long events = nonNegative(node.path("events"), at + ".events");
        long[] histograms = counts(node.path("features"), binning, at + ".features");
        long[] conservative = node.has("pValues") ? grid(node.path("pValues"), at + ".pValues") : new long[0];
        long[] randomized = node.has("randomizedPValues")
                ? grid(node.path("randomizedPValues"), at + ".randomizedPValues") : new long[0];
        if (conservative.length != randomized.length) {
            throw new IOException(at + " needs both pValues and randomizedPValues, or neither");
        }
        return new ReferenceHistograms.Stratum(events, histograms, conservative, randomized);
    }

    private static long nonNegative(JsonNode v, String where) throws IOException {
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IOException(where + " is not a non-negative integer");
        }
        return v.asLong();
    }

    private static long[] grid(JsonNode array, String where) throws IOException {
        if (!array.isArray() || array.size() != PValueGrid.bins()) {
            throw new IOException(where + " is not an array of " + PValueGrid.bins() + " counts");
        }
        long[] out = new long[PValueGrid.bins()];
        for (int j = 0; j < out.length; j++) {
            out[j] = nonNegative(array.get(j), where + "[" + j + "]");
        }
        return out;
    }

    private static JsonNode array(JsonNode node, String field, String where) throws IOException {
        JsonNode array = node.path(field);
        if (!array.isArray()) {
            throw new IOException(where + " has no array " + field);
        }
        return array;
    }

    private static float[] floats(JsonNode array, String where) throws IOException {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = array.get(i);
            out[i] = (float) v.asDouble();
            if (!v.isNumber() || !Float.isFinite(out[i])) {
                throw new IOException(where + "[" + i + "] is not a finite float");
            }
        }
        return out;
    }

    private static long[] counts(JsonNode perFeature, FeatureBinning binning, String where) throws IOException {
        if (!perFeature.isArray() || perFeature.size() != binning.features()) {
            throw new IOException(where + " is not an array of " + binning.features() + " histograms");
        }
        long[] out = new long[binning.totalSlots()];
        for (int f = 0; f < binning.features(); f++) {
            JsonNode counts = perFeature.get(f);
            if (!counts.isArray() || counts.size() != binning.slots(f)) {
                throw new IOException(where + "[" + f + "] is not an array of " + binning.slots(f) + " counts");
            }
            for (int s = 0; s < binning.slots(f); s++) {
                out[binning.slotStart(f) + s] = nonNegative(counts.get(s), where + "[" + f + "][" + s + "]");
            }
        }
        return out;
    }
}
