package org.oddity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.oddity.testing.KafkaFixture.Choice;

/** The shared Kafka of the broker tests: which one is started, its image, and that it carries records. */
class KafkaFixtureTest {

    private static final int RECORDS = 100;

    @Test
    @Tag("broker")
    void roundTripsRecordsThroughTheSharedBroker() {
        KafkaFixture kafka = KafkaFixture.shared();
        String topic = "fixture-round-trip-" + System.nanoTime();
        kafka.createTopics(3, topic);
        // Creating it again must be harmless: tests share one broker and may share topics.
        kafka.createTopics(3, topic);

        Map<String, String> sent = KafkaRoundTrip.numberedRecords(RECORDS);
        KafkaRoundTrip.produce(kafka.clientSettings(), topic, sent);
        List<ConsumerRecord<String, String>> received =
                KafkaRoundTrip.consume(kafka.clientSettings(), topic, RECORDS, Duration.ofSeconds(30));

        assertEquals(RECORDS, received.size());
        Map<String, String> receivedByKey = new LinkedHashMap<>();
        received.forEach(r -> receivedByKey.put(r.key(), r.value()));
        assertEquals(sent, receivedByKey);
        assertEquals(3, received.stream().map(ConsumerRecord::partition).distinct().count(),
                "records spread over all three partitions");
    }

    @Test
    void picksExternalThenContainerThenInJvm() {
        assertEquals(Choice.EXTERNAL, KafkaFixture.choose("kafka-1:9092,kafka-2:9092",
                () -> fail("Docker is not asked when KAFKA_BOOTSTRAP_SERVERS names a cluster")));
        assertEquals(Choice.EXTERNAL, KafkaFixture.choose(" kafka-1:9092 ", () -> true));
        assertEquals(Choice.CONTAINER, KafkaFixture.choose(null, () -> true));
        assertEquals(Choice.CONTAINER, KafkaFixture.choose(" ", () -> true), "a blank variable names no cluster");
        assertEquals(Choice.IN_JVM, KafkaFixture.choose(null, () -> false));
        assertEquals(Choice.IN_JVM, KafkaFixture.choose("", () -> false));
    }

    @Test
    void containerImageIsTheKafkaVersionThePomPins() throws IOException {
        // Surefire runs in the project's base directory.
        Matcher pinned = Pattern.compile("<kafka\\.version>([^<]+)</kafka\\.version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(pinned.find(), "pom.xml pins kafka.version");
        assertEquals("apache/kafka", KafkaFixture.KAFKA_IMAGE.getRepository());
        assertEquals(pinned.group(1).strip(), KafkaFixture.KAFKA_IMAGE.getVersionPart());
    }
}
