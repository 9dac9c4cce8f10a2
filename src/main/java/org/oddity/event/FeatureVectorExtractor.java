package org.oddity.event;

import java.util.List;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.FeatureVector;

/** Passes an event's flat feature vector through, checking its layout name, length and values. */
public final class FeatureVectorExtractor implements FeatureExtractor {

    /** Name in bundle manifests. */
    public static final String NAME = "features";

    private final String layout;
    private final List<String> names;

    /** Accepts vectors of layout {@code layout} holding exactly {@code names}, in order. */
    public FeatureVectorExtractor(String layout, List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a feature layout needs at least one feature");
        }
        this.layout = layout;
        this.names = List.copyOf(names);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public void extract(CollisionEvent event, float[] out) throws InvalidEventException {
        FeatureVector vector = event.getFeatures();
        if (vector == null) {
            throw new EventLayoutException("event carries no feature vector, which layout " + layout + " needs");
        }
        if (!layout.equals(vector.getLayout())) {
            throw new EventLayoutException("feature layout " + vector.getLayout() + " is not the model's " + layout);
        }
        List<Float> values = vector.getValues();
        if (values.size() != names.size()) {
            throw new EventLayoutException("feature vector has " + values.size() + " values, layout " + layout
                    + " has " + names.size());
        }
        for (int i = 0; i < out.length; i++) {
            float v = values.get(i);
            if (!Float.isFinite(v)) {
                throw new InvalidEventException("feature " + names.get(i) + " is " + v);
            }
            out[i] = v;
        }
    }
}
