package org.oddity.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.oddity.score.FeatureMatrix;

/**
 * Held-out background counted on a {@link FeatureBinning}, per calibration cell: the null of the
 * FEATURE_SHIFT tests, stored as one JSON file in a model bundle.
 *
 * <p>Counts, not probabilities, are kept: the window is tested against them by a chi-square test
 * of homogeneity ({@link PearsonChiSquare#homogeneity}), which allows for the reference's own
 * sampling noise, so the reference sample need not dwarf a window. Reference counts are per cell
 * because the background's features change with the run conditions (more jets and more missing
 * energy at high pileup): one pooled reference would flag every high-pileup window.
 *
 * <p>File layout: {@code {"features": [{"name": ..., "edges": [...]}, ...], "cells": {"CELL":
 * [[counts of feature 0 by slot], ...], ...}}}. Edges are written as the doubles equal to the
 * floats, so they read back exactly.
 */
public final class ReferenceHistograms {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FeatureBinning binning;
    private final Map<String, long[]> countsByCell;
    private final Map<String, long[]> totalsByCell;

    /**
     * @param binning      the bins the counts are on
     * @param countsByCell per cell name, a flat histogram of {@link FeatureBinning#totalSlots()} non-negative counts
     */
    public ReferenceHistograms(FeatureBinning binning, Map<String, long[]> countsByCell) {
        this.binning = binning;
        this.countsByCell = new TreeMap<>();
        this.totalsByCell = new TreeMap<>();
        for (Map.Entry<String, long[]> e : countsByCell.entrySet()) {
            long[] counts = e.getValue();
            if (counts.length != binning.totalSlots()) {
                throw new IllegalArgumentException("reference counts of cell " + e.getKey() + " have " + counts.length
                        + " slots, the binning " + binning.totalSlots());
            }
            long[] totals = new long[binning.features()];
            for (int f = 0; f < binning.features(); f++) {
                for (int s = binning.slotStart(f); s < binning.slotStart(f) + binning.slots(f); s++) {
                    if (counts[s] < 0) {
                        throw new IllegalArgumentException("negative reference count in cell " + e.getKey());
                    }
                    totals[f] += counts[s];
                }
            }
            this.countsByCell.put(e.getKey(), counts.clone());
            this.totalsByCell.put(e.getKey(), totals);
        }
    }

    /** Counts every held-out event of each cell on {@code binning}; each matrix has a column per feature. */
    public static ReferenceHistograms fit(FeatureBinning binning, Map<String, FeatureMatrix> heldOutByCell) {
        Map<String, long[]> counts = new TreeMap<>();
        float[] row = new float[binning.features()];
        for (Map.Entry<String, FeatureMatrix> e : heldOutByCell.entrySet()) {
            FeatureMatrix m = e.getValue();
            if (m.columns() != binning.features()) {
                throw new IllegalArgumentException("held-out events of cell " + e.getKey() + " have " + m.columns()
                        + " features, the binning " + binning.features());
            }
            long[] c = new long[binning.totalSlots()];
            for (int r = 0; r < m.rows(); r++) {
                m.copyRow(r, row);
                for (int f = 0; f < row.length; f++) {
                    c[binning.slotStart(f) + binning.slotOf(f, row[f])]++;
                }
            }
            counts.put(e.getKey(), c);
        }
        return new ReferenceHistograms(binning, counts);
    }

    /** The bins the counts are on. */
    public FeatureBinning binning() {
        return binning;
    }

    /** The cells with reference counts, sorted. */
    public Set<String> cells() {
        return Collections.unmodifiableSet(countsByCell.keySet());
    }

    /** Reference count of {@code cell} in {@code slot} of the flat histogram, 0 for a cell without a reference. */
    public long count(String cell, int slot) {
        long[] counts = countsByCell.get(cell);
        return counts == null ? 0 : counts[slot];
    }

    /** Reference events of {@code cell} counted for {@code feature}, 0 for a cell without a reference. */
    public long total(String cell, int feature) {
        long[] totals = totalsByCell.get(cell);
        return totals == null ? 0 : totals[feature];
    }

    /** Reference probability of slot {@code slot} (relative to the feature's first) of {@code feature} in {@code cell}; NaN without events. */
    public double probability(String cell, int feature, int slot) {
        long total = total(cell, feature);
        return total == 0 ? Double.NaN : (double) count(cell, binning.slotStart(feature) + slot) / total;
    }

    /** The flat counts of {@code cell}, shared and not to be modified; null for a cell without a reference. */
    long[] countsOf(String cell) {
        return countsByCell.get(cell);
    }

    /** Writes the binning and the counts to {@code file}. */
    public void write(Path file) throws IOException {
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
        ObjectNode cells = root.putObject("cells");
        for (Map.Entry<String, long[]> e : countsByCell.entrySet()) {
            ArrayNode perFeature = cells.putArray(e.getKey());
            for (int f = 0; f < binning.features(); f++) {
                ArrayNode counts = perFeature.addArray();
                for (int s = 0; s < binning.slots(f); s++) {
                    counts.add(e.getValue()[binning.slotStart(f) + s]);
                }
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** Reads a file written by {@link #write}; an IOException naming the file and the field if it is malformed. */
    public static ReferenceHistograms read(Path file) throws IOException {
        String name = file.getFileName().toString();
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IOException(name + " is not a JSON object");
        }
        JsonNode features = array(root, "features", name);
        List<String> names = new ArrayList<>();
        List<float[]> edges = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            String at = "features[" + f + "]";
            JsonNode feature = features.get(f);
            if (!feature.path("name").isTextual()) {
                throw new IOException(name + " " + at + ".name is not a string");
            }
            names.add(feature.get("name").asText());
            edges.add(floats(array(feature, "edges", name + " " + at), name + " " + at + ".edges"));
        }
        FeatureBinning binning;
        try {
            binning = new FeatureBinning(names, edges);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        JsonNode cells = root.path("cells");
        if (!cells.isObject()) {
            throw new IOException(name + " has no object cells");
        }
        Map<String, long[]> counts = new TreeMap<>();
        for (Map.Entry<String, JsonNode> cell : cells.properties()) {
            counts.put(cell.getKey(), counts(cell.getValue(), binning, name + " cells." + cell.getKey()));
        }
        return new ReferenceHistograms(binning, counts);
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
                JsonNode v = counts.get(s);
                if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
                    throw new IOException(where + "[" + f + "][" + s + "] is not a non-negative integer");
                }
                out[binning.slotStart(f) + s] = v.asLong();
            }
        }
        return out;
    }
}
