package org.oddity.score;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.oddity.score.hbos.HbosCodec;
import org.oddity.score.iforest.IsolationForestCodec;

/** Maps a bundle manifest's {@code scorer} field to the codec that loads that family. */
public final class ScorerRegistry {

    private static final Map<String, ScorerCodec> CODECS = new TreeMap<>();

    static {
        register(new HbosCodec());
        register(new IsolationForestCodec());
    }

    private ScorerRegistry() {
    }

    private static void register(ScorerCodec codec) {
        CODECS.put(codec.family(), codec);
    }

    /** The codec of {@code family}, if oddity knows it. */
    public static Optional<ScorerCodec> codec(String family) {
        return Optional.ofNullable(CODECS.get(family));
    }

    /** Names of every known family, sorted; a copy. */
    public static Set<String> families() {
        return Collections.unmodifiableSet(new TreeSet<>(CODECS.keySet()));
    }
}
