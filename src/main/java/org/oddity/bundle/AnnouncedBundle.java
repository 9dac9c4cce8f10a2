package org.oddity.bundle;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.oddity.avro.ModelAnnouncement;

/**
 * Fetches and verifies the bundle a {@link ModelAnnouncement} names: from a shared directory or
 * zip file whose manifest must have the announced SHA-256, or from the zip carried inline.
 * Archives are unpacked under a directory of their own; a refused one is deleted again.
 */
public final class AnnouncedBundle {

    private AnnouncedBundle() {
    }

    /**
     * The verified bundle of {@code announcement}.
     *
     * @param unpackDir where zipped bundles are unpacked, one fresh subdirectory each
     * @throws InvalidBundleException naming the announced model and what is wrong
     */
    public static ModelBundle load(ModelAnnouncement announcement, Path unpackDir) throws InvalidBundleException {
        String what = "announced model " + announcement.getModelName() + " " + announcement.getModelVersion();
        Path unpacked = null;
        try {
            Path dir;
            ByteBuffer inline = announcement.getInlineBundle();
            if (inline != null) {
                unpacked = unpack(new ByteArrayInputStream(inline.array(), inline.arrayOffset() + inline.position(),
                        inline.remaining()), unpackDir, announcement);
                dir = unpacked;
            } else if (announcement.getLocation() != null) {
                if (announcement.getSha256() == null) {
                    throw new InvalidBundleException(what + " gives a location but no SHA-256 of its manifest");
                }
                Path location = path(announcement.getLocation(), what);
                if (Files.isDirectory(location)) {
                    dir = location;
                } else if (Files.isRegularFile(location)) {
                    try (InputStream in = Files.newInputStream(location)) {
                        unpacked = unpack(in, unpackDir, announcement);
                    }
                    dir = unpacked;
                } else {
                    throw new InvalidBundleException(what + ": " + location + " is neither a bundle directory nor a"
                            + " zip file");
                }
            } else {
                throw new InvalidBundleException(what + " gives neither a location nor an inline bundle");
            }
            ModelBundle bundle = verified(announcement, dir, what);
            unpacked = null;
            return bundle;
        } catch (IOException e) {
            throw new InvalidBundleException(what + ": cannot fetch the bundle: " + e.getMessage(), e);
        } finally {
            if (unpacked != null) {
                delete(unpacked);
            }
        }
    }

    private static ModelBundle verified(ModelAnnouncement announcement, Path dir, String what)
            throws InvalidBundleException, IOException {
        if (announcement.getSha256() != null) {
            String actual = Sha256.ofFile(dir.resolve(BundleManifest.FILE));
            if (!actual.equals(announcement.getSha256())) {
                throw new InvalidBundleException(what + ": manifest.json has SHA-256 " + actual
                        + " but the announcement says " + announcement.getSha256());
            }
        }
        ModelBundle bundle = BundleReader.read(dir);
        if (!bundle.manifest().name().equals(announcement.getModelName())
                || !bundle.version().equals(announcement.getModelVersion())) {
            throw new InvalidBundleException(what + ": the bundle is model " + bundle.manifest().name() + " "
                    + bundle.version());
        }
        return bundle;
    }

    /**
     * The path {@code location} names, a path or a {@code file:} URI.
     *
     * @throws InvalidBundleException if it names none: a URI that does not parse or is not a local
     *                                file, or a path this file system rejects
     */
    private static Path path(String location, String what) throws InvalidBundleException {
        try {
            return location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            // InvalidPathException is an IllegalArgumentException too.
            throw new InvalidBundleException(what + ": location " + location + " is neither a path nor a file: URI"
                    + " of this machine (" + e.getMessage() + ")", e);
        }
    }

    private static Path unpack(InputStream zip, Path unpackDir, ModelAnnouncement announcement) throws IOException {
        Files.createDirectories(unpackDir);
        Path dir = Files.createTempDirectory(unpackDir,
                announcement.getModelVersion().replaceAll("[^A-Za-z0-9._-]", "_") + "-");
        try {
            BundleArchive.unzip(zip, dir);
        } catch (IOException e) {
            delete(dir);
            throw e;
        }
        return dir;
    }

    private static void delete(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Only disk space is at stake: the refused bundle is never read again.
        }
    }
}
