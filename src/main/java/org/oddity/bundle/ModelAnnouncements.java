package org.oddity.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.oddity.avro.ModelAnnouncement;

/** Builds the {@link ModelAnnouncement} of a bundle directory, by reference or inline. */
public final class ModelAnnouncements {

    /**
     * Largest zipped bundle sent inline: Kafka's default limits on a record (producer
     * {@code max.request.size}, topic {@code max.message.bytes}) are about 1 MB.
     */
    public static final int MAX_INLINE_BYTES = 900_000;

    private ModelAnnouncements() {
    }

    /**
     * The announcement of the bundle in {@code dir}, naming its model and version from the manifest.
     *
     * @param location where instances find the bundle (a shared path or {@code file:} URI), or null
     *                 to send the bundle inline, zipped
     * @throws InvalidBundleException if the manifest cannot be read, or an inline bundle is too large
     */
    public static ModelAnnouncement of(Path dir, String location, long announcedAtMillis)
            throws InvalidBundleException, IOException {
        BundleManifest manifest;
        try {
            manifest = BundleWriter.JSON.readValue(dir.resolve(BundleManifest.FILE).toFile(), BundleManifest.class);
        } catch (IOException e) {
            throw new InvalidBundleException("model bundle " + dir + ": cannot read manifest.json: " + e.getMessage(),
                    e);
        }
        ModelAnnouncement.Builder announcement = ModelAnnouncement.newBuilder()
                .setModelName(manifest.name())
                .setModelVersion(manifest.version())
                .setSha256(Sha256.ofFile(dir.resolve(BundleManifest.FILE)))
                .setAnnouncedAtMillis(announcedAtMillis);
        if (location != null) {
            return announcement.setLocation(location).build();
        }
        byte[] zip = BundleArchive.zip(dir);
        if (zip.length > MAX_INLINE_BYTES) {
            throw new InvalidBundleException("model bundle " + dir + " zips to " + zip.length + " bytes, more than the "
                    + MAX_INLINE_BYTES + " a Kafka record takes by default; announce its location instead");
        }
        return announcement.setInlineBundle(ByteBuffer.wrap(zip)).build();
    }
}
