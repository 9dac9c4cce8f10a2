package org.oddity.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Writes an Avro datum as the plain JSON a person or {@code jq} reads: records as objects with
 * the schema's field names, a union as the value of its branch (Avro's own JSON encoding wraps it
 * as {@code {"string": ...}}), enums as their symbol, bytes and fixed as base64, maps as objects.
 * Non-finite doubles come out as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"},
 * which JSON has no number for.
 */
final class AvroJson {

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private AvroJson() {
    }

    /** Writes {@code datum}, a value of {@code schema}, to {@code json}. */
    static void write(JsonGenerator json, Schema schema, Object datum) throws IOException {
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) datum;
                json.writeStartObject();
                for (Schema.Field field : schema.getFields()) {
                    json.writeFieldName(field.name());
                    write(json, field.schema(), record.get(field.pos()));
                }
                json.writeEndObject();
            }
            case UNION -> write(json, schema.getTypes().get(SpecificData.get().resolveUnion(schema, datum)), datum);
            case ARRAY -> {
                json.writeStartArray();
                for (Object item : (Collection<?>) datum) {
                    write(json, schema.getElementType(), item);
                }
                json.writeEndArray();
            }
            case MAP -> {
                json.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) datum).entrySet()) {
                    json.writeFieldName(entry.getKey().toString());
                    write(json, schema.getValueType(), entry.getValue());
                }
                json.writeEndObject();
            }
            case BYTES -> {
                // A duplicate, so that reading the bytes leaves the record's buffer where it was.
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                json.writeString(BASE64.encodeToString(bytes));
            }
            case FIXED -> json.writeString(BASE64.encodeToString(((GenericFixed) datum).bytes()));
            case ENUM, STRING -> json.writeString(datum.toString());
            case INT -> json.writeNumber((Integer) datum);
            case LONG -> json.writeNumber((Long) datum);
            case FLOAT -> json.writeNumber((Float) datum);
            case DOUBLE -> json.writeNumber((Double) datum);
            case BOOLEAN -> json.writeBoolean((Boolean) datum);
            case NULL -> json.writeNull();
        }
    }
}
