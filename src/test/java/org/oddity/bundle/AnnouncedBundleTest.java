package org.oddity.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.ModelAnnouncement;
import org.oddity.fixtures.SwapBundles;

/**
 * An announced bundle is fetched from a directory, a zip file or inline bytes, and refused
 * unless its manifest has the announced digest, name and version; hostile archives are refused.
 */
class AnnouncedBundleTest {

    @TempDir
    static Path dir;

    private static Path bundle;

    @BeforeAll
    static void train() {
        bundle = SwapBundles.flaggingEverything(dir.resolve("bundle"), 3);
    }

    @Test
    void loadsFromADirectoryAZipFileAndInlineBytesAlike(@TempDir Path unpack) throws Exception {
        ModelAnnouncement byPath = ModelAnnouncements.of(bundle, bundle.toString(), 7);
        assertEquals(SwapBundles.NAME, byPath.getModelName());
        assertEquals(Sha256.ofFile(bundle.resolve(BundleManifest.FILE)), byPath.getSha256());
        ModelBundle fromDir = AnnouncedBundle.load(byPath, unpack);
        assertEquals(bundle, fromDir.directory());

        byte[] zip = BundleArchive.zip(bundle);
        assertArrayEquals(zip, BundleArchive.zip(bundle), "the same bundle zips to the same bytes");
        Path zipFile = dir.resolve("bundle.zip");
        Files.write(zipFile, zip);
        ModelBundle fromZip = AnnouncedBundle.load(ModelAnnouncements.of(bundle, zipFile.toUri().toString(), 7),
                unpack);
        ModelBundle inline = AnnouncedBundle.load(ModelAnnouncements.of(bundle, null, 7), unpack);
        float[] x = new float[57];
        x[0] = 40f;
        for (ModelBundle b : new ModelBundle[] {fromZip, inline}) {
            assertEquals(fromDir.version(), b.version());
            assertTrue(b.directory().startsWith(unpack), b.directory().toString());
            assertEquals(fromDir.scorer().score(x), b.scorer().score(x));
            assertEquals(fromDir.calibration().keySet(), b.calibration().keySet());
        }
    }

    @Test
    void refusesWhatIsNotTheAnnouncedBundle(@TempDir Path unpack) throws Exception {
        ModelAnnouncement good = ModelAnnouncements.of(bundle, bundle.toString(), 7);
        String what = "announced model " + SwapBundles.NAME + " " + good.getModelVersion();
        assertEquals(what + ": manifest.json has SHA-256 " + good.getSha256() + " but the announcement says 00",
                refusal(ModelAnnouncement.newBuilder(good).setSha256("00").build(), unpack));
        assertEquals(what + " gives a location but no SHA-256 of its manifest",
                refusal(ModelAnnouncement.newBuilder(good).setSha256(null).build(), unpack));
        assertEquals(what + " gives neither a location nor an inline bundle",
                refusal(ModelAnnouncement.newBuilder(good).setLocation(null).build(), unpack));
        assertEquals(what + ": " + dir.resolve("nowhere") + " is neither a bundle directory nor a zip file",
                refusal(ModelAnnouncement.newBuilder(good).setLocation(dir.resolve("nowhere").toString()).build(),
                        unpack));
        assertEquals("announced model " + SwapBundles.NAME + " v9: the bundle is model " + SwapBundles.NAME + " "
                + good.getModelVersion(), refusal(ModelAnnouncement.newBuilder(good).setModelVersion("v9").build(),
                unpack));
        assertTrue(refusal(ModelAnnouncement.newBuilder(good).setLocation(null)
                .setInlineBundle(ByteBuffer.wrap(new byte[] {1, 2, 3})).build(), unpack)
                .endsWith("cannot fetch the bundle: archive is empty or not a zip"));
        try (var left = Files.list(unpack)) {
            assertEquals(0, left.count(), "refused archives are deleted again");
        }
    }

    @Test
    void refusesAnArchiveEntryOutsideTheBundle(@TempDir Path unpack) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("../escaped.txt"));
            zip.write(1);
            zip.closeEntry();
        }
        var e = assertThrows(java.io.IOException.class,
                () -> BundleArchive.unzip(new ByteArrayInputStream(bytes.toByteArray()), unpack.resolve("b")));
        assertEquals("archive entry ../escaped.txt lies outside the bundle", e.getMessage());
        assertTrue(Files.notExists(unpack.resolve("escaped.txt")));
    }

    private static String refusal(ModelAnnouncement announcement, Path unpack) {
        return assertThrows(InvalidBundleException.class, () -> AnnouncedBundle.load(announcement, unpack))
                .getMessage();
    }
}
