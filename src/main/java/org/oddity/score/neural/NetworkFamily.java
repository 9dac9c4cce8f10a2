package org.oddity.score.neural;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;

/** What the neural families share: preprocessing for unit-scale inputs, and one {@link NetworkFile} per bundle. */
abstract sealed class NetworkFamily implements ScorerFamily permits AutoencoderFamily, VaeLatentFamily {

    private final NetworkFile file;
    private final Function<DenseNetwork, ? extends NetworkScorer> scorer;

    /**
     * @param file   where the network lies in a bundle
     * @param scorer the family's scorer around a network read back, refusing a wrong shape with
     *               an IllegalArgumentException
     */
    NetworkFamily(NetworkFile file, Function<DenseNetwork, ? extends NetworkScorer> scorer) {
        this.file = file;
        this.scorer = scorer;
    }

    /** The family named in its network file. */
    @Override
    public final String family() {
        return file.family();
    }

    /** Log-pt, then standardize: the networks' initialisation and learning rate assume unit-scale inputs. */
    @Override
    public final String defaultPreprocessing() {
        return "log-pt,standardize";
    }

    @Override
    public final List<String> write(Scorer written, Path dir) throws IOException {
        return file.write(((NetworkScorer) written).network(), dir);
    }

    @Override
    public final Scorer read(Path dir) throws IOException {
        return file.read(dir, scorer);
    }
}
