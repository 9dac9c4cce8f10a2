package org.oddity.score.preprocess;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import org.oddity.score.FeatureMatrix;

/**
 * The feature preprocessing of a model: declared steps, fitted on the training data and
 * resolved against the feature names, applied in place to every vector before scoring. Training
 * and scoring use the same instance (or its manifest copy), so they transform identically.
 *
 * <p>{@link #apply} allocates nothing; it runs once per event.
 */
public final class Preprocessing {

    /** No step: features reach the scorer as extracted. */
    public static final Preprocessing NONE = new Preprocessing(List.of(), new int[0][], new float[0][], new float[0][],
            new float[0], new float[0]);

    /** The JSON type of a step list: a bare {@code List} would lose each step's {@code step} name. */
    public static final TypeReference<List<PreprocessingStep>> STEPS_TYPE = new TypeReference<>() {
    };

    private static final float MIN_SCALE = 1e-6f;

    private final List<PreprocessingStep> steps;
    // One slot per step; only the arrays of the step's kind are non-null.
    private final int[][] logIndices;
    private final float[][] mean;
    private final float[][] inverseScale;
    private final float[] clipMin;
    private final float[] clipMax;

    private Preprocessing(List<PreprocessingStep> steps, int[][] logIndices, float[][] mean, float[][] inverseScale,
            float[] clipMin, float[] clipMax) {
        this.steps = List.copyOf(steps);
        this.logIndices = logIndices;
        this.mean = mean;
        this.inverseScale = inverseScale;
        this.clipMin = clipMin;
        this.clipMax = clipMax;
    }

    /**
     * Resolves declared {@code steps} against {@code featureNames}.
     *
     * @throws IllegalArgumentException naming the step and what does not fit the features
     */
    public static Preprocessing of(List<PreprocessingStep> steps, List<String> featureNames) {
        int n = steps.size();
        int[][] logIndices = new int[n][];
        float[][] mean = new float[n][];
        float[][] inverseScale = new float[n][];
        float[] clipMin = new float[n];
        float[] clipMax = new float[n];
        int d = featureNames.size();
        for (int s = 0; s < n; s++) {
            PreprocessingStep step = steps.get(s);
            if (step instanceof PreprocessingStep.LogPt log) {
                logIndices[s] = indices(log.features(), featureNames);
            } else if (step instanceof PreprocessingStep.Standardize standardize) {
                if (standardize.mean() == null || standardize.scale() == null || standardize.mean().length != d
                        || standardize.scale().length != d) {
                    throw new IllegalArgumentException("preprocessing step " + PreprocessingStep.STANDARDIZE
                            + " needs mean and scale for each of the " + d + " features");
                }
                mean[s] = standardize.mean().clone();
                inverseScale[s] = new float[d];
                for (int i = 0; i < d; i++) {
                    float scale = standardize.scale()[i];
                    if (!Float.isFinite(mean[s][i]) || !Float.isFinite(scale) || scale < MIN_SCALE) {
                        throw new IllegalArgumentException("preprocessing step " + PreprocessingStep.STANDARDIZE
                                + " has mean " + mean[s][i] + " and scale " + scale + " for feature "
                                + featureNames.get(i) + "; the scale must be finite and at least " + MIN_SCALE);
                    }
                    inverseScale[s][i] = 1f / scale;
                }
            } else if (step instanceof PreprocessingStep.Clip clip) {
                if (!(clip.min() < clip.max()) || Float.isNaN(clip.min()) || Float.isNaN(clip.max())) {
                    throw new IllegalArgumentException("preprocessing step " + PreprocessingStep.CLIP + " needs min < max,"
                            + " got [" + clip.min() + ", " + clip.max() + "]");
                }
                clipMin[s] = clip.min();
                clipMax[s] = clip.max();
            } else {
                throw new IllegalArgumentException("preprocessing step " + step + " is null");
            }
        }
        return new Preprocessing(steps, logIndices, mean, inverseScale, clipMin, clipMax);
    }

    /**
     * Fits the steps of {@code spec} to {@code data} in order, transforming {@code data} in place
     * as it goes, so each step is fitted on what the previous ones produced.
     *
     * @param spec         comma-separated steps: {@code none}, or any of {@code log-pt},
     *                     {@code standardize}, {@code clip=C} (clip to [-C, C])
     * @param featureNames the names of {@code data}'s columns
     * @throws IllegalArgumentException for an unknown step or a bad clip bound
     */
    public static Preprocessing fit(String spec, List<String> featureNames, FeatureMatrix data) {
        List<PreprocessingStep> steps = new ArrayList<>();
        for (String token : tokens(spec)) {
            PreprocessingStep step = unfitted(token, featureNames, data);
            steps.add(step);
            Preprocessing single = of(List.of(step), featureNames);
            float[] row = new float[data.columns()];
            for (int r = 0; r < data.rows(); r++) {
                data.copyRow(r, row);
                single.apply(row);
                data.setRow(r, row);
            }
        }
        return of(steps, featureNames);
    }

    /**
     * {@code spec} unchanged if {@link #fit} can read it.
     *
     * @throws IllegalArgumentException naming the step it cannot read
     */
    public static String checkedSpec(String spec) {
        tokens(spec);
        return spec;
    }

    /** The steps of {@code spec}, checked: empty for {@code none}. */
    private static List<String> tokens(String spec) {
        if (spec.trim().equals("none")) {
            return List.of();
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : spec.split(",", -1)) {
            String token = raw.trim();
            if (token.startsWith(PreprocessingStep.CLIP + "=")) {
                clipBound(token);
            } else if (!token.equals(PreprocessingStep.LOG_PT) && !token.equals(PreprocessingStep.STANDARDIZE)) {
                throw new IllegalArgumentException("unknown preprocessing step '" + token + "' (known: none, "
                        + PreprocessingStep.LOG_PT + ", " + PreprocessingStep.STANDARDIZE + ", "
                        + PreprocessingStep.CLIP + "=C)");
            }
            tokens.add(token);
        }
        return tokens;
    }

    private static float clipBound(String token) {
        try {
            float c = Float.parseFloat(token.substring(PreprocessingStep.CLIP.length() + 1));
            if (c > 0 && Float.isFinite(c)) {
                return c;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("preprocessing step " + token + ": expected clip=C with C > 0");
    }

    private static PreprocessingStep unfitted(String token, List<String> featureNames, FeatureMatrix data) {
        if (token.equals(PreprocessingStep.LOG_PT)) {
            List<String> pts = featureNames.stream().filter(n -> n.endsWith("_pt") || n.equals("pt")).toList();
            if (pts.isEmpty()) {
                throw new IllegalArgumentException("preprocessing step " + token + ": no feature is named *_pt");
            }
            return new PreprocessingStep.LogPt(pts);
        }
        if (token.equals(PreprocessingStep.STANDARDIZE)) {
            return standardize(data);
        }
        float c = clipBound(token);
        return new PreprocessingStep.Clip(-c, c);
    }

    private static PreprocessingStep.Standardize standardize(FeatureMatrix data) {
        int d = data.columns();
        float[] mean = new float[d];
        float[] scale = new float[d];
        for (int i = 0; i < d; i++) {
            // Welford's update: one pass, no cancellation when the mean dwarfs the spread.
            double m = 0;
            double m2 = 0;
            for (int r = 0; r < data.rows(); r++) {
                double x = data.get(r, i);
                double delta = x - m;
                m += delta / (r + 1);
                m2 += delta * (x - m);
            }
            mean[i] = (float) m;
            double sd = data.rows() > 1 ? Math.sqrt(m2 / (data.rows() - 1)) : 0;
            scale[i] = sd >= MIN_SCALE ? (float) sd : 1f;
        }
        return new PreprocessingStep.Standardize(mean, scale);
    }

    private static int[] indices(List<String> names, List<String> featureNames) {
        if (names == null || names.isEmpty()) {
            throw new IllegalArgumentException("preprocessing step " + PreprocessingStep.LOG_PT + " names no feature");
        }
        int[] out = new int[names.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = featureNames.indexOf(names.get(k));
            if (out[k] < 0) {
                throw new IllegalArgumentException("preprocessing step " + PreprocessingStep.LOG_PT + " names feature "
                        + names.get(k) + ", which the model does not have");
            }
        }
        return out;
    }

    /** The declared steps, for the manifest. */
    public List<PreprocessingStep> steps() {
        return steps;
    }

    /** Transforms {@code features} in place. */
    public void apply(float[] features) {
        for (int s = 0; s < logIndices.length; s++) {
            if (logIndices[s] != null) {
                for (int i : logIndices[s]) {
                    // Math.log is an intrinsic; log1p is not, and costs several times more per call.
                    features[i] = (float) Math.log(1.0 + Math.max(features[i], 0f));
                }
            } else if (mean[s] != null) {
                float[] m = mean[s];
                float[] inv = inverseScale[s];
                for (int i = 0; i < features.length; i++) {
                    features[i] = (features[i] - m[i]) * inv[i];
                }
            } else {
                float lo = clipMin[s];
                float hi = clipMax[s];
                for (int i = 0; i < features.length; i++) {
                    features[i] = Math.min(Math.max(features[i], lo), hi);
                }
            }
        }
    }
}
