package org.oddity.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A bundle directory as a zip, for bundles announced inline or stored as one file. Entries are
 * written in name order with a fixed time, so the same bundle always zips to the same bytes.
 */
public final class BundleArchive {

    /** Largest total size unpacked, so a hostile archive cannot fill the disk. */
    static final long MAX_UNPACKED_BYTES = 2L << 30;

    private BundleArchive() {
    }

    /** The zipped contents of bundle directory {@code dir}. */
    public static byte[] zip(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Path file : files) {
                ZipEntry entry = new ZipEntry(dir.relativize(file).toString().replace('\\', '/'));
                entry.setTime(0);
                zip.putNextEntry(entry);
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * Unpacks {@code zip} into the empty or missing directory {@code target}.
     *
     * @throws IOException if an entry would land outside {@code target}, the archive unpacks to
     *                     more than {@link #MAX_UNPACKED_BYTES}, or it is not a zip
     */
    public static void unzip(InputStream zip, Path target) throws IOException {
        Files.createDirectories(target);
        Path root = target.toAbsolutePath().normalize();
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(zip)) {
            byte[] buffer = new byte[1 << 16];
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries++;
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root) || out.equals(root)) {
                    throw new IOException("archive entry " + entry.getName() + " lies outside the bundle");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (OutputStream file = Files.newOutputStream(out)) {
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        total += n;
                        if (total > MAX_UNPACKED_BYTES) {
                            throw new IOException("archive unpacks to more than " + MAX_UNPACKED_BYTES + " bytes");
                        }
                        file.write(buffer, 0, n);
                    }
                }
            }
        }
        if (entries == 0) {
            throw new IOException("archive is empty or not a zip");
        }
    }
}
