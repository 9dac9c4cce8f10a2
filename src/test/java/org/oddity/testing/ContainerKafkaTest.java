package org.oddity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** Runs where Docker exists and is skipped elsewhere, so the container path of {@link KafkaFixture} stays tested. */
@Tag("broker")
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaTest {

    private static final int RECORDS = 100;

    @Container
    private static final KafkaContainer KAFKA = new KafkaContainer(KafkaFixture.KAFKA_IMAGE);

    @Test
    void roundTripsRecordsThroughAContainerBroker() throws Exception {
        String topic = "container-round-trip";
        Map<String, Object> adminConfig = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBootstrapServers());
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }

        Map<String, String> sent = KafkaRoundTrip.numberedRecords(RECORDS);
        KafkaRoundTrip.produce(KAFKA.getBootstrapServers(), topic, sent);
        List<ConsumerRecord<String, String>> received =
                KafkaRoundTrip.consume(KAFKA.getBootstrapServers(), topic, RECORDS, Duration.ofSeconds(30));

        assertEquals(RECORDS, received.size());
        Map<String, String> receivedInOrder = new LinkedHashMap<>();
        received.forEach(r -> receivedInOrder.put(r.key(), r.value()));
        assertEquals(List.copyOf(sent.entrySet()), List.copyOf(receivedInOrder.entrySet()),
                "one partition keeps the order");
    }
}
