package org.oddity.score;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.oddity.score.gaussian.GaussianMixtureFamily;
import org.oddity.score.gaussian.MahalanobisFamily;
import org.oddity.score.hbos.HbosFamily;
import org.oddity.score.iforest.IsolationForestFamily;
import org.oddity.score.kde.KdeFamily;
import org.oddity.score.neural.AutoencoderFamily;
import org.oddity.score.neural.VaeLatentFamily;
import org.oddity.score.onnx.OnnxFamily;

/** Maps a scorer family's name (a bundle manifest's {@code scorer} field) to the family. */
public final class ScorerRegistry {

    private static final Map<String, ScorerFamily> FAMILIES = new TreeMap<>();

    static {
        register(new HbosFamily());
        register(new IsolationForestFamily());
        register(new GaussianMixtureFamily());
        register(new MahalanobisFamily());
        register(new KdeFamily());
        register(new OnnxFamily());
        register(new AutoencoderFamily());
        register(new VaeLatentFamily());
    }

    private ScorerRegistry() {
    }

    private static void register(ScorerFamily family) {
        FAMILIES.put(family.family(), family);
    }

    /** The family named {@code family}, if oddity knows it. */
    public static Optional<ScorerFamily> family(String family) {
        return Optional.ofNullable(FAMILIES.get(family));
    }

    /** Names of every known family, sorted; a copy. */
    public static Set<String> families() {
        return Collections.unmodifiableSet(new TreeSet<>(FAMILIES.keySet()));
    }
}
