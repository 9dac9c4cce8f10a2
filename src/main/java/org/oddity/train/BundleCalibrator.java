package org.oddity.train;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.oddity.avro.CollisionEvent;
import org.oddity.bundle.BundleManifest;
import org.oddity.bundle.BundleReader;
import org.oddity.bundle.BundleWriter;
import org.oddity.bundle.CalibrationEntry;
import org.oddity.bundle.InvalidBundleException;
import org.oddity.bundle.ModelBundle;
import org.oddity.bundle.Sha256;
import org.oddity.calibrate.CalibrationSet;
import org.oddity.calibrate.CellScheme;
import org.oddity.monitor.ReferenceHistograms;

/**
 * Adds per-cell calibration sets from held-out background to a verified bundle and writes the
 * result as a bundle of the same model version.
 *
 * <p>The events are scored exactly as scoring does (the bundle's extractor with its
 * preprocessing, then its scorer) into a set for every cell at every fallback level. The new sets
 * are merged with the bundle's own by default, or replace them. The model version is the digest
 * of the parameter files and the preprocessing, which are copied unchanged, so the version stays:
 * the calibration belongs to the model, and more of it does not make another model. The manifest
 * changes (calibration entries and file digests), so an announcement of the old manifest's
 * SHA-256 does not match the new bundle.
 *
 * <p>The monitor's reference follows the calibration: the new events' features and their
 * leave-one-out p-values against the new sets are added to the bundle's reference, or replace it
 * with the sets. Added, the earlier events keep their p-values against the earlier sets, which
 * are the same ranks in expectation when the new events are exchangeable with them, the premise
 * of merging.
 *
 * <p>The events must be new to the bundle: never its training events, whose scores are optimistic,
 * nor events already in its calibration, which would count twice. Otherwise an event is not
 * exchangeable with the calibration events and its p-values are too small.
 */
public final class BundleCalibrator {

    /** A cell's calibration size before, the scores this run added to it, and its size after. */
    public record CellSizes(String cell, int before, int added, int after) {
    }

    /** The manifest written and every cell's sizes: the scheme's cells finest level first, then any others by name. */
    public record Result(BundleManifest manifest, List<CellSizes> cells) {
    }

    private final ModelBundle bundle;
    private final CellScheme cells;
    private final CalibrationCollector collector;
    private long events;

    /** Calibrates {@code bundle} over the cells of {@code cells}. */
    public BundleCalibrator(ModelBundle bundle, CellScheme cells) {
        this.bundle = bundle;
        this.cells = cells;
        this.collector = bundle.reference()
                .map(r -> new CalibrationCollector(bundle.scorer(), bundle.newExtractor(), cells, r.binning(), r.strata()))
                .orElseGet(() -> new CalibrationCollector(bundle.scorer(), bundle.newExtractor(), cells));
    }

    /** Scores every event of {@code calibration}; those without a cell or valid features are counted and skipped. */
    public void add(Iterator<CollisionEvent> calibration, Progress progress) {
        while (calibration.hasNext()) {
            collector.add(calibration.next());
            progress.update(++events);
        }
    }

    /** Events scored into a cell so far. */
    public long collected() {
        return events - collector.rejected();
    }

    /** Events skipped because they could not be scored or had no cell. */
    public long rejected() {
        return collector.rejected();
    }

    /**
     * Writes the calibrated bundle to {@code target} and verifies it. The bundle is staged in a
     * directory next to {@code target} and moved into place whole: {@code target} is either a new
     * (or empty) directory or the bundle's own directory, whose old contents are then replaced.
     *
     * @param replace drop the bundle's sets instead of merging the new ones into them
     * @throws InvalidBundleException if a bundle file changed since it was read, or the result
     *                                does not verify
     * @throws DirectoryNotEmptyException if {@code target} is another directory that is not empty
     */
    public Result write(Path target, boolean replace) throws IOException, InvalidBundleException {
        Map<String, CalibrationSet> added = collector.sets();
        Map<String, CalibrationSet> calibration = new HashMap<>(replace ? Map.of() : bundle.calibration());
        added.forEach((cell, set) -> calibration.merge(cell, set,
                (old, more) -> CalibrationSet.union(List.of(old, more))));

        // The monitor's reference follows the calibration: its p-values are ranks in the cells' sets.
        ReferenceHistograms reference = bundle.reference().map(old -> {
            ReferenceHistograms fresh = collector.references(calibration::get);
            return replace ? fresh : old.plus(fresh);
        }).orElse(null);
        Path dir = bundle.directory().toAbsolutePath().normalize();
        Path destination = target.toAbsolutePath().normalize();
        Files.createDirectories(destination.getParent());
        Path staged = sibling(destination, ".calibrating-");
        try {
            BundleManifest manifest = stage(dir, staged, calibration, reference);
            BundleReader.read(staged);
            install(staged, destination, destination.equals(dir));
            return new Result(manifest, sizes(bundle.calibration(), added, calibration));
        } finally {
            if (Files.exists(staged)) {
                delete(staged);
            }
        }
    }

    /** Copies every file but the manifest, the old calibration and reference into {@code staged}, then writes the rest. */
    private BundleManifest stage(Path dir, Path staged, Map<String, CalibrationSet> calibration,
            ReferenceHistograms reference) throws IOException, InvalidBundleException {
        BundleManifest old = bundle.manifest();
        Set<String> oldCalibration = new HashSet<>();
        old.calibration().forEach(entry -> oldCalibration.add(entry.file()));
        Map<String, String> files = new TreeMap<>();
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(dir)) {
            sources = walk.filter(Files::isRegularFile).toList();
        }
        for (Path source : sources) {
            String name = dir.relativize(source).toString().replace('\\', '/');
            if (name.equals(BundleManifest.FILE) || oldCalibration.contains(name)
                    || (reference != null && name.equals(BundleWriter.REFERENCE_FILE))) {
                continue;
            }
            Path copy = staged.resolve(name);
            Files.createDirectories(copy.getParent());
            Files.copy(source, copy);
            String expected = old.files().get(name);
            if (expected != null) {
                String actual = Sha256.ofFile(copy);
                if (!actual.equals(expected)) {
                    throw new InvalidBundleException("model bundle " + dir + ": " + name + " changed since it was read"
                            + " (SHA-256 " + actual + ", the manifest says " + expected + ")");
                }
                files.put(name, expected);
            }
        }
        List<CalibrationEntry> entries = BundleWriter.writeCalibration(staged, calibration, files);
        if (reference != null) {
            reference.write(staged.resolve(BundleWriter.REFERENCE_FILE));
            files.put(BundleWriter.REFERENCE_FILE, Sha256.ofFile(staged.resolve(BundleWriter.REFERENCE_FILE)));
        }
        BundleManifest manifest = new BundleManifest(old.formatVersion(), old.name(), old.version(), old.scorer(),
                old.extractor(), old.featureLayout(), old.featureNames(), old.preprocessing(), old.trainingDataDigest(),
                old.trainingEvents(), old.createdAt(), files, entries);
        BundleWriter.writeManifest(staged, manifest);
        return manifest;
    }

    /**
     * Moves {@code staged} to {@code destination}. In place, the old bundle is moved aside first and
     * back again if the staged one cannot take its name.
     */
    private static void install(Path staged, Path destination, boolean inPlace) throws IOException {
        if (!inPlace) {
            Files.move(staged, destination, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        Path aside = sibling(destination, ".replaced-");
        Files.delete(aside);
        Files.move(destination, aside);
        try {
            Files.move(staged, destination);
        } catch (IOException e) {
            Files.move(aside, destination);
            throw e;
        }
        delete(aside);
    }

    /**
     * A new, empty directory next to {@code target}, on the same file system so that it moves in
     * one rename. Unlike a temporary directory, which only its owner may read, it takes the
     * default permissions, as the bundle directory it becomes must.
     */
    private static Path sibling(Path target, String suffix) throws IOException {
        for (int attempt = 0;; attempt++) {
            Path candidate = target.resolveSibling(target.getFileName() + suffix + Long.toHexString(System.nanoTime()));
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 9) {
                    throw e;
                }
            }
        }
    }

    private List<CellSizes> sizes(Map<String, CalibrationSet> before, Map<String, CalibrationSet> added,
            Map<String, CalibrationSet> after) {
        Set<String> others = new TreeSet<>(before.keySet());
        others.addAll(added.keySet());
        Set<String> names = new LinkedHashSet<>();
        for (String cell : cells.allCellNames()) {
            if (others.remove(cell)) {
                names.add(cell);
            }
        }
        names.addAll(others);
        List<CellSizes> sizes = new ArrayList<>();
        for (String cell : names) {
            sizes.add(new CellSizes(cell, sizeOf(before.get(cell)), sizeOf(added.get(cell)), sizeOf(after.get(cell))));
        }
        return sizes;
    }

    private static int sizeOf(CalibrationSet set) {
        return set == null ? 0 : set.size();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
