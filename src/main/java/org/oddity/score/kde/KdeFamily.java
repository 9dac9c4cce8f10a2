package org.oddity.score.kde;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final int MAGIC = 0x4B444531;
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
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                Files.newOutputStream(dir.resolve(FILE)), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(kde.featureCount());
            out.writeInt(kde.pointCount());
            out.writeDouble(kde.bandwidth());
            for (double s : kde.sigma()) {
                out.writeDouble(s);
            }
            for (double v : kde.points()) {
                out.writeDouble(v);
            }
        }
        return List.of(FILE);
    }

    @Override
    public Scorer read(Path dir) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(FILE))))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(FILE + " is not a kernel density file");
            }
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
            if (in.read() != -1) {
                throw new IOException(FILE + " has bytes after its last point");
            }
            return new KdeScorer(features, bandwidth, sigma, values);
        } catch (EOFException e) {
            throw new IOException(FILE + " is truncated", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(FILE + ": " + e.getMessage(), e);
        }
    }
}
