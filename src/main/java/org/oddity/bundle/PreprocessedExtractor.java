package org.oddity.bundle;

import java.util.List;
import org.oddity.avro.CollisionEvent;
import org.oddity.event.FeatureExtractor;
import org.oddity.event.InvalidEventException;
import org.oddity.score.preprocess.Preprocessing;

/**
 * A bundle's extractor followed by its preprocessing: what every consumer of a model (scoring,
 * calibration, evaluation) must feed its scorer.
 */
public final class PreprocessedExtractor implements FeatureExtractor {

    private final FeatureExtractor extractor;
    private final Preprocessing preprocessing;

    public PreprocessedExtractor(FeatureExtractor extractor, Preprocessing preprocessing) {
        this.extractor = extractor;
        this.preprocessing = preprocessing;
    }

    @Override
    public String name() {
        return extractor.name();
    }

    @Override
    public List<String> featureNames() {
        return extractor.featureNames();
    }

    @Override
    public void extract(CollisionEvent event, float[] out) throws InvalidEventException {
        extractor.extract(event, out);
        preprocessing.apply(out);
    }
}
