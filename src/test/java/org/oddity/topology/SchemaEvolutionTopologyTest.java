package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.avro.CollisionEvent;
import org.oddity.avro.DeadLetter;
import org.oddity.avro.FailureStage;
import org.oddity.avro.FlaggedEvent;
import org.oddity.config.InvalidSettingException;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;
import org.oddity.fixtures.TrainedBundle;
import org.oddity.metrics.ScoringLatencies;
import org.oddity.pipeline.ActiveModel;
import org.oddity.pipeline.CellCounters;

/**
 * Events written with the older (v1), the current and a newer compatible event schema (v3, from
 * setting {@code events.writer-schemas}) decode to the same events on the scoring topology and
 * are flagged alike; events of an incompatible writer schema are dead letters naming the schema;
 * an incompatible or broken schema in the setting stops the start-up with one line naming the key.
 */
class SchemaEvolutionTopologyTest {

    private static final int EVENTS = 1_500;

    private final Topics topics = Topics.withPrefix("");

    private static Path resource(String name) {
        try {
            return Path.of(SchemaEvolutionTopologyTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Schema schema(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new Schema.Parser().parse(in);
        }
    }

    /** {@code event} as a generic record of {@code schema}, through Avro's own resolution. */
    private static GenericRecord resolved(CollisionEvent event, Schema schema) {
        try {
            ByteArrayOutputStream datum = new ByteArrayOutputStream();
            new SpecificDatumWriter<CollisionEvent>(CollisionEvent.getClassSchema())
                    .write(event, EncoderFactory.get().directBinaryEncoder(datum, null));
            return new GenericDatumReader<GenericRecord>(CollisionEvent.getClassSchema(), schema)
                    .read(null, DecoderFactory.get().binaryDecoder(datum.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encoded(GenericRecord record) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), record.getSchema()).encode(record)
                    .array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code event} written with {@code writer}, a schema the current one can be resolved to. */
    private static byte[] writtenWith(Schema writer, CollisionEvent event, Consumer<GenericRecord> edit) {
        GenericRecord record = resolved(event, writer);
        edit.accept(record);
        return encoded(record);
    }

    /** {@code event} written with the incompatible schema: the current fields, the run number as text. */
    private static byte[] writtenWithRunAsString(Schema incompatible, CollisionEvent event) {
        GenericRecord current = resolved(event, CollisionEvent.getClassSchema());
        GenericRecord record = new GenericData.Record(incompatible);
        for (Schema.Field field : incompatible.getFields()) {
            record.put(field.pos(), current.get(field.name()));
        }
        record.put("run", "run-" + event.getRun());
        return encoded(record);
    }

    private static OdditySettings settingsWith(Path writerSchemas) {
        return OdditySettings.from(SettingsSource.load(null, Map.of(), Map.of("events.writer-schemas",
                writerSchemas.toString())));
    }

    @Test
    void olderCurrentAndNewerWriterSchemasScoreAlikeAndAnIncompatibleOneIsADeadLetter() throws IOException {
        Schema v1 = schema(resource("avro-history/CollisionEvent.v1.avsc"));
        Schema v3 = schema(resource("writer-schemas/newer/CollisionEvent.v3.avsc"));
        Schema incompatible = schema(resource("writer-schemas/incompatible/CollisionEvent.run-as-string.avsc"));
        OdditySettings settings = settingsWith(resource("writer-schemas/newer"));
        List<CollisionEvent> events = new ArrayList<>();
        TrainedBundle.events(EVENTS, 81).forEachRemaining(events::add);

        CellCounters counters = new CellCounters(settings.calibration().cells(),
                settings.calibration().workingPoints().size());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "schema-evolution-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Map<String, List<Double>> scoresById = new HashMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(AnomalyTopology.build(topics, settings,
                new ActiveModel(TrainedBundle.model(settings), counters, settings.calibration().minSize()), counters,
                ScoringLatencies.of(settings.metrics()), Clock.systemUTC()), props)) {
            TestInputTopic<byte[], byte[]> input = driver.createInputTopic(topics.events().name(),
                    new ByteArraySerializer(), new ByteArraySerializer());
            TestOutputTopic<byte[], FlaggedEvent> anomalies = driver.createOutputTopic(topics.anomalies().name(),
                    new ByteArrayDeserializer(), topics.anomalies().valueSerde().deserializer());
            TestOutputTopic<byte[], DeadLetter> deadLetters = driver.createOutputTopic(topics.deadLetters().name(),
                    new ByteArrayDeserializer(), topics.deadLetters().valueSerde().deserializer());
            for (CollisionEvent event : events) {
                byte[] key = (event.getRun() + ":" + event.getEvent()).getBytes(StandardCharsets.UTF_8);
                input.pipeInput(key, AvroCodec.of(CollisionEvent.class).encode(event));
                input.pipeInput(key, writtenWith(v1, event, record -> { }));
                input.pipeInput(key, writtenWith(v3, event, record -> record.put("orbit", event.getEvent() * 7)));
                input.pipeInput(key, writtenWithRunAsString(incompatible, event));
            }
            for (FlaggedEvent flag : anomalies.readValuesToList()) {
                scoresById.computeIfAbsent(flag.getRun() + ":" + flag.getEvent(), id -> new ArrayList<>())
                        .add(flag.getScore());
            }
            List<DeadLetter> letters = deadLetters.readValuesToList();
            assertEquals(EVENTS, letters.size(), "one dead letter per event of the incompatible schema");
            String fingerprint = String.format("%016x", SchemaNormalization.parsingFingerprint64(incompatible));
            for (DeadLetter letter : letters) {
                assertEquals(FailureStage.DECODE, letter.getStage());
                assertEquals("written with schema " + fingerprint + ", which is not a CollisionEvent schema this"
                        + " reader knows", letter.getReason());
            }
        }
        assertEquals(3L * EVENTS, counters.totalEvents(), "every event of the three readable schemas scored");
        assertTrue(scoresById.size() > 5, "some events flagged: " + scoresById.size());
        for (Map.Entry<String, List<Double>> flagged : scoresById.entrySet()) {
            List<Double> scores = flagged.getValue();
            assertEquals(3, scores.size(), flagged.getKey() + " flagged under each readable schema");
            assertEquals(scores.get(0), scores.get(1), flagged.getKey() + ": v1 scores as the current schema");
            assertEquals(scores.get(0), scores.get(2), flagged.getKey() + ": v3 scores as the current schema");
        }
    }

    @Test
    void aNewerWriterSchemaDecodesToTheSameEvent() throws IOException {
        Schema v3 = schema(resource("writer-schemas/newer/CollisionEvent.v3.avsc"));
        AvroCodec<CollisionEvent> codec = AvroCodec.of(CollisionEvent.class,
                EventWriterSchemas.load(resource("writer-schemas/newer")));
        CollisionEvent event = TrainedBundle.events(1, 82).next();
        event.setTruth("signal:dijet-resonance");
        byte[] bytes = writtenWith(v3, event, record -> record.put("orbit", 123_456L));
        assertEquals(event, codec.decode(bytes, null));
        UndecodableRecordException unknown = assertThrows(UndecodableRecordException.class,
                () -> AvroCodec.of(CollisionEvent.class).decode(bytes, null), "without the setting, v3 is unknown");
        assertTrue(unknown.getMessage().contains(String.format("%016x", SchemaNormalization.parsingFingerprint64(v3))),
                unknown.getMessage());
    }

    @Test
    void anUnusableWriterSchemaStopsTheStartUpNamingTheKey(@TempDir Path dir) throws IOException {
        InvalidSettingException incompatible = assertThrows(InvalidSettingException.class,
                () -> EventWriterSchemas.load(resource("writer-schemas/incompatible")));
        assertEquals("events.writer-schemas", incompatible.key());
        assertTrue(incompatible.getMessage().contains("cannot be read as CollisionEvent")
                && incompatible.getMessage().contains("/fields/0/type"), incompatible.getMessage());

        Path garbage = Files.writeString(dir.resolve("broken.avsc"), "{\"type\": \"record\", \"name\":");
        InvalidSettingException broken = assertThrows(InvalidSettingException.class,
                () -> EventWriterSchemas.load(dir));
        assertTrue(broken.getMessage().startsWith("invalid setting events.writer-schemas='" + garbage + "': not an"
                + " Avro schema"), broken.getMessage());
        assertEquals(1, broken.getMessage().lines().count());

        Files.delete(garbage);
        Files.writeString(dir.resolve("other.avsc"), DeadLetter.getClassSchema().toString());
        InvalidSettingException other = assertThrows(InvalidSettingException.class,
                () -> EventWriterSchemas.load(dir));
        assertTrue(other.getMessage().contains("is a schema of org.oddity.avro.DeadLetter"), other.getMessage());

        assertThrows(InvalidSettingException.class, () -> EventWriterSchemas.load(dir.resolve("missing")));
    }
}
