package org.oddity.calibrate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.oddity.avro.RunConditions;

/**
 * Splits on a categorical run condition, the detector state or a free-form {@code extra.NAME}
 * field: one bin per listed state, and one for any other state.
 */
public final class StateBins implements CellDimension {

    /** Label of the bin for states not listed. */
    public static final String OTHER = "OTHER";

    private final String field;
    private final String extraKey;
    private final List<String> states;
    private final Map<String, Integer> index = new HashMap<>();

    /** One bin for each of {@code states} of {@code field} ({@code detectorState} or {@code extra.NAME}) plus {@link #OTHER}. */
    public StateBins(String field, List<String> states) {
        this.extraKey = ConditionFields.extraKey(field);
        if (extraKey == null && !field.equals(ConditionFields.DETECTOR_STATE)) {
            throw new IllegalArgumentException("no categorical run condition named " + field + " ("
                    + ConditionFields.DETECTOR_STATE + ", " + ConditionFields.EXTRA_PREFIX + "NAME)");
        }
        for (String s : states) {
            if (s.isBlank() || s.equals(OTHER) || index.putIfAbsent(s, index.size()) != null) {
                throw new IllegalArgumentException(field + " states must be distinct, non-blank and not "
                        + OTHER + ": " + states);
            }
        }
        this.field = field;
        this.states = List.copyOf(states);
    }

    @Override
    public String field() {
        return field;
    }

    @Override
    public int bins() {
        return states.size() + 1;
    }

    @Override
    public String label(int bin) {
        return field + "=" + (bin < states.size() ? states.get(bin) : OTHER);
    }

    @Override
    public int binOf(RunConditions conditions) {
        String state = extraKey == null ? conditions.getDetectorState() : conditions.getExtra().get(extraKey);
        if (state == null) {
            return -1;
        }
        Integer bin = index.get(state);
        return bin == null ? states.size() : bin;
    }
}
