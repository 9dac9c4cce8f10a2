package org.oddity.score.preprocess;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One declared feature transformation, as written in a bundle manifest's {@code preprocessing}
 * list. Fitted values (means, scales) are part of the declaration, so scoring applies exactly
 * what training applied.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "step")
@JsonSubTypes({
    @JsonSubTypes.Type(value = PreprocessingStep.LogPt.class, name = PreprocessingStep.LOG_PT),
    @JsonSubTypes.Type(value = PreprocessingStep.Standardize.class, name = PreprocessingStep.STANDARDIZE),
    @JsonSubTypes.Type(value = PreprocessingStep.Clip.class, name = PreprocessingStep.CLIP)
})
public sealed interface PreprocessingStep {

    /** Name of {@link LogPt} in manifests and on the command line. */
    String LOG_PT = "log-pt";
    /** Name of {@link Standardize} in manifests and on the command line. */
    String STANDARDIZE = "standardize";
    /** Name of {@link Clip} in manifests and on the command line. */
    String CLIP = "clip";

    /**
     * x -> log(1 + max(x, 0)) on the named features: transverse momenta span three orders of
     * magnitude, and a network or a distance sees their tails better on a log scale.
     *
     * @param features names of the transformed features
     */
    record LogPt(List<String> features) implements PreprocessingStep {
    }

    /**
     * x_i -> (x_i - mean_i) / scale_i on every feature, with mean and scale (standard deviation,
     * 1 for a constant feature) fitted on the training data after the earlier steps.
     */
    record Standardize(float[] mean, float[] scale) implements PreprocessingStep {
    }

    /** x -> min(max(x, min), max) on every feature: bounds what one wild value can do to a score. */
    record Clip(float min, float max) implements PreprocessingStep {
    }
}
