package org.oddity.score.onnx;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/** What the output tensor of an ONNX model is, and so how oddity turns it into a score. */
public enum OutputKind {

    /** The output is the anomaly score itself, shape [N] or [N, 1]. */
    SCORE,

    /**
     * The output reconstructs the input, shape [N, features]; the score is the mean squared
     * error of the reconstruction, as for the {@code autoencoder} family.
     */
    RECONSTRUCTION;

    /** The name used on the command line and in {@code onnx.json}. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind named {@code label}.
     *
     * @throws IllegalArgumentException for any other name
     */
    @JsonCreator
    public static OutputKind of(String label) {
        for (OutputKind kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("output kind " + label + ": expected score or reconstruction");
    }

    /**
     * The kind an output of declared shape {@code shape} most likely is: a reconstruction when
     * each row has as many values as the input has features (more than one), else a score.
     */
    public static OutputKind inferred(List<Long> shape, int features) {
        return features > 1 && shape.size() == 2 && shape.get(1) == features ? RECONSTRUCTION : SCORE;
    }

    /** Values per event in an output of this kind, for a model of {@code features} features. */
    int width(int features) {
        return this == SCORE ? 1 : features;
    }
}
