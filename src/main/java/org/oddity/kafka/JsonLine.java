package org.oddity.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.avro.specific.SpecificRecord;

/**
 * One record of a topic as one line of JSON: {@code topic}, {@code partition}, {@code offset},
 * {@code timestamp} (milliseconds since the epoch) of the record, its {@code key}, and its
 * {@code value} with the fields of its Avro schema (see {@link AvroJson}). The value sits in an
 * object of its own because a dead letter's fields {@code topic}, {@code partition} and
 * {@code offset} name the input record it came from, not the dead letter's place.
 *
 * <p>oddity's keys are UTF-8 text (event ids, alert keys, window and cell), shown as a string; a
 * key that is not UTF-8, which a dead letter may carry over from its input, is shown as
 * {@code keyBase64} instead.
 */
final class JsonLine {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonLine() {
    }

    /** The line, without a line break, of the record at {@code offset} of {@code topic}-{@code partition}. */
    static String of(String topic, int partition, long offset, long timestamp, byte[] key, SpecificRecord value) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("topic", topic);
            json.writeNumberField("partition", partition);
            json.writeNumberField("offset", offset);
            json.writeNumberField("timestamp", timestamp);
            writeKey(json, key);
            json.writeFieldName("value");
            if (value == null) {
                json.writeNull();
            } else {
                AvroJson.write(json, value.getSchema(), value);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a record of " + topic + " as JSON", e);
        }
        return out.toString();
    }

    private static void writeKey(JsonGenerator json, byte[] key) throws IOException {
        if (key == null) {
            json.writeNullField("key");
            return;
        }
        try {
            json.writeStringField("key", StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key)).toString());
        } catch (CharacterCodingException e) {
            json.writeStringField("keyBase64", Base64.getEncoder().encodeToString(key));
        }
    }
}
