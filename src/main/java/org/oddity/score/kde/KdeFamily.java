package org.oddity.score.kde;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.oddity.score.BinaryScorerFile;
import org.oddity.score.Scorer;
import org.oddity.score.ScorerFamily;
import org.oddity.score.ScorerTrainer;
import org.oddity.score.TrainingParameters;

/**
 * The kernel density family: trained with parameters {@code points} (reference points, default
 * 2000) and {@code bandwidths} (grid size of the bandwidth search, default 20); stored as
 * {@code kde.bin}: magic, features, points, bandwidth, the per-feature standard deviations and
 * the reference points, big-endian doubles so the round trip is exact.
 */
public final class KdeFamily implements ScorerFamily {

    static final String FILE = "kde.bin";
    private static final BinaryScorerFile STORED = new BinaryScorerFile(FILE, 0x4B444531, "a kernel density file");
    /** Header bytes: magic, features, points (ints) and the bandwidth (double). */
    static final int HEADER = 3 * Integer.BYTES + Double.BYTES;
    /** Bounds the arrays a damaged header could make us allocate. */
    private static final long MAX_VALUES = 100_000_000L;

    @Override
    public String family() {
        return KdeScorer.FAMILY;
    }

    @Override
    public ScorerTrainer trainer(Map<String, String> parameters, long seed) {
        TrainingParameters p = new TrainingParameters(KdeScorer.FAMILY, parameters, Set.of("points", "bandwidths"));
        // The pairwise distance matrix has points^2 doubles: 20000 points is 3.2 GB, the upper limit.
        return new KdeTrainer(p.integer("points", 2000, 2, 20_000), p.integer("bandwidths", 20, 2, 1000), seed);
    }

    @Override
    public List<String> write(Scorer scorer, Path dir) throws IOException {
        KdeScorer kde = (KdeScorer) scorer;
        return STORED.write(dir, out -> {
            out.writeInt(kde.featureCount());
            out.writeInt(kde.pointCount());
            out.writeDouble(kde.bandwidth());
            for (double s : kde.sigma()) {
                out.writeDouble(s);
            }
            for (double v : kde.points()) {
                out.writeDouble(v);
            }
        });
    }

    @Override
    public Scorer read(Path dir) throws IOException {
        return STORED.read(dir, in -> {
            int features = in.readInt();
            int points = in.readInt();
            double bandwidth = in.readDouble();
            if (features <= 0 || points <= 0 || (long) features * (points + 1L) > MAX_VALUES) {
                throw new IOException(FILE + " has implausible dimensions: " + features + " features, " + points
                        + " points");
            }
            if (!(bandwidth > 0) || !Double.isFinite(bandwidth)) {
                throw new IOException(FILE + " has bandwidth " + bandwidth + ", expected a finite value > 0");
            }
            double[] sigma = new double[features];
            for (int i = 0; i < features; i++) {
                sigma[i] = in.readDouble();
            }
            double[] values = new double[features * points];
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readDouble();
            }
            STORED.requireEnd(in, "point");
            return new KdeScorer(features, bandwidth, sigma, values);
        });
    }
}
