package org.oddity.calibrate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.oddity.avro.RunConditions;

/** Splits on the detector state: one bin per listed state, and one for any other state. */
public final class DetectorStates implements CellDimension {

    /** Label of the bin for states not listed. */
    public static final String OTHER = "OTHER";

    private final List<String> states;
    private final Map<String, Integer> index = new HashMap<>();

    /** One bin for each of {@code states} plus {@link #OTHER}. */
    public DetectorStates(List<String> states) {
        for (String s : states) {
            if (s.isBlank() || s.equals(OTHER) || index.putIfAbsent(s, index.size()) != null) {
                throw new IllegalArgumentException("detector states must be distinct, non-blank and not "
                        + OTHER + ": " + states);
            }
        }
        this.states = List.copyOf(states);
    }

    @Override
    public String field() {
        return "detectorState";
    }

    @Override
    public int bins() {
        return states.size() + 1;
    }

    @Override
    public String label(int bin) {
        return "detectorState=" + (bin < states.size() ? states.get(bin) : OTHER);
    }

    @Override
    public int binOf(RunConditions conditions) {
        String state = conditions.getDetectorState();
        if (state == null) {
            return -1;
        }
        Integer bin = index.get(state);
        return bin == null ? states.size() : bin;
    }
}
