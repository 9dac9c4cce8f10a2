package org.oddity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

@Tag("broker")
class KafkaFixtureTest {

    private static final int RECORDS = 100;

    @Test
    void roundTripsRecordsThroughTheSharedBroker() {
        KafkaFixture kafka = KafkaFixture.shared();
        String topic = "fixture-round-trip-" + System.nanoTime();
        kafka.createTopics(3, topic);
        // Creating it again must be harmless: tests share one broker and may share topics.
        kafka.createTopics(3, topic);

        Map<String, String> sent = KafkaRoundTrip.numberedRecords(RECORDS);
        KafkaRoundTrip.produce(kafka.bootstrapServers(), topic, sent);
        List<ConsumerRecord<String, String>> received =
                KafkaRoundTrip.consume(kafka.bootstrapServers(), topic, RECORDS, Duration.ofSeconds(30));

        assertEquals(RECORDS, received.size());
        Map<String, String> receivedByKey = new LinkedHashMap<>();
        received.forEach(r -> receivedByKey.put(r.key(), r.value()));
        assertEquals(sent, receivedByKey);
        assertEquals(3, received.stream().map(ConsumerRecord::partition).distinct().count(),
                "records spread over all three partitions");
    }

    @Test
    void picksExternalThenContainerThenInJvm() {
        String external = System.getenv(KafkaFixture.BOOTSTRAP_ENV);
        String expected = external != null && !external.isBlank() ? "external"
                : DockerClientFactory.instance().isDockerAvailable() ? "container"
                : "in-jvm";
        assertEquals(expected, KafkaFixture.shared().kind());
    }
}
