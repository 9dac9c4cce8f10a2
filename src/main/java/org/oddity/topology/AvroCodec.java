package org.oddity.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding of one record type: a two-byte marker and the writer schema's
 * 64-bit fingerprint precede the binary datum, so a reader can tell which schema wrote it.
 * Older writer schemas of the type listed in {@code avro-history/index.txt} are registered,
 * so events from publishers that have not upgraded are resolved to the current schema. Newer
 * writer schemas, which a build cannot carry, are handed to {@link #of(Class, List)}, so a
 * publisher that upgraded first is read too.
 *
 * <p>Thread-safe: Avro's message encoder and decoder keep their buffers per thread.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private static final String HISTORY = "/avro-history/";

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Class<T> type, List<Schema> writers) {
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        for (Schema older : history(schema.getFullName())) {
            decoder.addSchema(older);
        }
        for (Schema writer : writers) {
            decoder.addSchema(writer);
        }
    }

    /** The codec of generated record class {@code type}. */
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type, List.of());
    }

    /**
     * The codec of {@code type} that also reads records written with {@code writers}, schemas of
     * the same record that this build does not carry (a publisher's newer version), each of which
     * the caller has checked that the current schema can resolve.
     */
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type, List<Schema> writers) {
        return new AvroCodec<>(type, writers);
    }

    /** The current (reader) schema. */
    public Schema schema() {
        return schema;
    }

    /** Single-object encoding of {@code value}. */
    public byte[] encode(T value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + schema.getName(), e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes single-object-encoded {@code bytes}, reusing {@code reuse} when not null.
     *
     * @throws UndecodableRecordException on bytes that are not a valid datum of a known writer schema
     */
    public T decode(byte[] bytes, T reuse) throws UndecodableRecordException {
        try {
            return decoder.decode(bytes, reuse);
        } catch (MissingSchemaException e) {
            throw new UndecodableRecordException(unknownWriter(bytes), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
            throw new UndecodableRecordException("not a " + schema.getName() + " in Avro single-object encoding: "
                    + e.getMessage(), e);
        }
    }

    private String unknownWriter(byte[] bytes) {
        // The single-object header: marker C3 01, then the writer's fingerprint, little-endian.
        long fingerprint = 0;
        for (int i = 9; i >= 2; i--) {
            fingerprint = (fingerprint << 8) | (bytes[i] & 0xFF);
        }
        return String.format("written with schema %016x, which is not a %s schema this reader knows", fingerprint,
                schema.getName());
    }

    private static List<Schema> history(String fullName) {
        List<Schema> schemas = new ArrayList<>();
        try (InputStream index = AvroCodec.class.getResourceAsStream(HISTORY + "index.txt")) {
            if (index == null) {
                return schemas;
            }
            for (String file : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                if (file.isBlank()) {
                    continue;
                }
                try (InputStream in = AvroCodec.class.getResourceAsStream(HISTORY + file.trim())) {
                    if (in == null) {
                        throw new IllegalStateException("schema history lists missing file " + file);
                    }
                    Schema older = new Schema.Parser().parse(in);
                    if (older.getFullName().equals(fullName)) {
                        schemas.add(older);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Avro schema history", e);
        }
        return schemas;
    }
}
