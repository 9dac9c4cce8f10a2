package org.oddity.event;

import java.util.List;

/** Creates the feature extractor a bundle manifest names, checking its declared feature names. */
public final class FeatureExtractors {

    private FeatureExtractors() {
    }

    /**
     * A new extractor (extractors hold per-task scratch space, so each stream task gets its own).
     *
     * @throws IllegalArgumentException for an unknown extractor or feature names it cannot produce
     */
    public static FeatureExtractor create(String name, String layout, List<String> featureNames) {
        switch (name) {
            case L1ObjectsExtractor.NAME -> {
                L1ObjectsExtractor extractor = new L1ObjectsExtractor();
                if (!extractor.featureNames().equals(featureNames)) {
                    throw new IllegalArgumentException("feature names do not match extractor " + name + ": expected "
                            + extractor.featureNames().size() + " names " + extractor.featureNames().subList(0, 3)
                            + "..., got " + featureNames.size() + " names");
                }
                return extractor;
            }
            case FeatureVectorExtractor.NAME -> {
                if (layout == null || layout.isBlank()) {
                    throw new IllegalArgumentException("extractor " + name + " needs a feature layout name");
                }
                return new FeatureVectorExtractor(layout, featureNames);
            }
            default -> throw new IllegalArgumentException("unknown feature extractor " + name + " (known: "
                    + L1ObjectsExtractor.NAME + ", " + FeatureVectorExtractor.NAME + ")");
        }
    }
}
