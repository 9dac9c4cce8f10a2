package org.oddity.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.oddity.client.KafkaClientSettings;
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
    void roundTripsRecordsThroughAContainerBroker() {
        KafkaRoundTrip.assertRoundTripInOrder(KafkaClientSettings.of(KAFKA.getBootstrapServers()),
                "container-round-trip", RECORDS);
    }
}
