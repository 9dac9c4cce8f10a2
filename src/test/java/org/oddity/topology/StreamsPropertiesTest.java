package org.oddity.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.oddity.config.OdditySettings;
import org.oddity.config.SettingsSource;

/** The Streams properties carry the settings in Kafka's own names and values. */
class StreamsPropertiesTest {

    private static Properties of(Map<String, String> overrides) {
        return StreamsProperties.of(OdditySettings.from(SettingsSource.load(null, Map.of(), overrides)));
    }

    @Test
    void settingsMapToStreamsConfig() {
        Properties props = of(Map.of("bootstrap.servers", "localhost:9092", "application.id", "oddity-7",
                "streams.threads", "3", "streams.standby-replicas", "1", "work.dir", "/data/oddity",
                "streams.instance-id", "daq-host-2"));
        assertEquals("localhost:9092", props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("oddity-7", props.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals(3, props.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals(1, props.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
        assertEquals(Path.of("/data/oddity", "streams-state").toString(), props.get(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("daq-host-2", props.get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)));
    }

    @Test
    void withoutAnInstanceIdTheWorkDirectoryKeepsOne(@TempDir Path dir) {
        Map<String, String> settings = Map.of("application.id", "oddity-7", "work.dir", dir.toString());
        Object first = of(settings).get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertTrue(first.toString().startsWith("oddity-7-"), first.toString());
        assertEquals(first, of(settings).get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)),
                "the same name after a restart");
        Object other = of(Map.of("application.id", "oddity-7", "work.dir", dir.resolve("other").toString()))
                .get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertNotEquals(first, other, "another work directory, another instance");
    }

    @Test
    void kafkaClientSettingsReachTheStreamsClientsOverOddityTuning() {
        Properties props = of(Map.of("bootstrap.servers", "localhost:9093", "kafka.security.protocol", "SASL_SSL",
                "kafka.producer.linger.ms", "20", "kafka.consumer.fetch.min.bytes", "65536",
                "kafka.streams.topology.optimization", "all"));
        assertEquals("SASL_SSL", props.get("security.protocol"));
        assertEquals("20", props.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)));
        assertEquals("65536", props.get(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)));
        assertEquals(2000, props.get(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)),
                "oddity's tuning where nothing is set");
        assertEquals("all", props.get(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG));
        assertEquals("localhost:9093", props.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    @Test
    void internalTopicsTakeTheReplicationFactorOfOdditysTopics() {
        assertEquals(1, of(Map.of()).get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals(3, of(Map.of("topics.replication-factor", "3")).get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
        assertEquals(-1, of(Map.of("topics.replication-factor", "-1")).get(StreamsConfig.REPLICATION_FACTOR_CONFIG));
    }

    @Test
    void atLeastOnceIsKafkas() {
        assertEquals(StreamsConfig.AT_LEAST_ONCE, of(Map.of("streams.processing-guarantee", "at_least_once"))
                .get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("at_least_once", StreamsConfig.AT_LEAST_ONCE);
    }
}
