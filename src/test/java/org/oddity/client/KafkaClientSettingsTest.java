package org.oddity.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.oddity.config.InvalidSettingException;

/**
 * The {@code kafka.*} settings reach every kind of client they are meant for, under Kafka's names
 * and over oddity's tuning; anything Kafka would not take, or oddity sets itself, stops start-up
 * with one line naming the key; no line shows a password.
 */
class KafkaClientSettingsTest {

    private static final String SERVERS = "broker-1.cern.ch:9093,broker-2.cern.ch:9093";
    private static final String SECRET = "pw-5e1f";
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"daq\" password=\"" + SECRET + "\";";

    private static KafkaClientSettings of(Map<String, String> settings) {
        return KafkaClientSettings.of(SERVERS, settings);
    }

    private static InvalidSettingException refused(String key, String value) {
        InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> of(Map.of(key, value)));
        assertEquals(key, e.key());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e;
    }

    @Test
    void aPropertyForEveryClientReachesEveryClient() {
        KafkaClientSettings clients = of(Map.of("kafka.security.protocol", "SASL_SSL", "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", JAAS));
        for (Map<String, Object> config : List.of(clients.producer(Map.of()), clients.consumer(Map.of()),
                clients.admin(Map.of()))) {
            assertEquals("SASL_SSL", config.get("security.protocol"));
            assertEquals("PLAIN", config.get("sasl.mechanism"));
            assertEquals(JAAS, config.get("sasl.jaas.config"));
            assertEquals(SERVERS, config.get("bootstrap.servers"));
        }
        Properties streams = clients.streams(new Properties());
        // Kafka Streams hands unprefixed client configs to its producers, consumers and admin client alike.
        assertEquals("SASL_SSL", streams.get("security.protocol"));
        assertEquals(JAAS, streams.get("sasl.jaas.config"));
        assertEquals(SERVERS, streams.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
    }

    @Test
    void aPropertyOfOneKindReachesThatKindAloneAndWinsOverOddityAndTheCommonOne() {
        KafkaClientSettings clients = of(Map.of("kafka.producer.linger.ms", "20", "kafka.consumer.max.poll.records",
                "500", "kafka.admin.default.api.timeout.ms", "90000", "kafka.request.timeout.ms", "40000",
                "kafka.consumer.request.timeout.ms", "45000", "kafka.streams.topology.optimization", "all"));
        Map<String, Object> producer = clients.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ACKS_CONFIG, "all"));
        assertEquals("20", producer.get(ProducerConfig.LINGER_MS_CONFIG), "the setting wins over oddity's tuning");
        assertEquals("all", producer.get(ProducerConfig.ACKS_CONFIG), "oddity's tuning where nothing is set");
        assertEquals("40000", producer.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG));
        assertNull(producer.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        Map<String, Object> consumer = clients.consumer(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
        assertEquals("500", consumer.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
        assertEquals("45000", consumer.get(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG), "the kind's wins");
        assertNull(consumer.get(ProducerConfig.LINGER_MS_CONFIG));
        Map<String, Object> admin = clients.admin(Map.of());
        assertEquals("90000", admin.get(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG));
        assertEquals(3, admin.size(), admin.toString());

        Properties oddity = new Properties();
        oddity.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        oddity.put(StreamsConfig.APPLICATION_ID_CONFIG, "oddity");
        Properties streams = clients.streams(oddity);
        assertEquals("20", streams.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)));
        assertEquals("500", streams.get(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)));
        assertEquals("45000", streams.get(StreamsConfig.consumerPrefix(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG)));
        assertEquals("90000", streams.get(StreamsConfig.adminClientPrefix(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)));
        assertEquals("40000", streams.get(StreamsConfig.REQUEST_TIMEOUT_MS_CONFIG));
        assertEquals("all", streams.get(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG));
        assertEquals("oddity", streams.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertFalse(oddity.containsKey(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG), "oddity's properties are copied");
        assertFalse(streams.containsKey(ProducerConfig.LINGER_MS_CONFIG), "a producer config stays the producers'");
    }

    @Test
    void namesFromEnvironmentVariablesFindKafkasSpelling() {
        // ODDITY_KAFKA_STREAMS_RACK_AWARE_ASSIGNMENT_NON_OVERLAP_COST arrives with '.' for every '_'.
        Properties streams = of(Map.of("kafka.streams.rack.aware.assignment.non.overlap.cost", "3"))
                .streams(new Properties());
        assertEquals("3", streams.get(StreamsConfig.RACK_AWARE_ASSIGNMENT_NON_OVERLAP_COST_CONFIG));
    }

    @Test
    void aNameKafkaDoesNotKnowForTheKindStopsStartUp() {
        assertEquals("invalid setting kafka.secruity.protocol=[hidden]: not a config of Kafka's producer, consumer"
                + " and admin client (see Kafka's documentation of its configs)",
                refused("kafka.secruity.protocol", "SSL").getMessage());
        assertEquals("invalid setting kafka.linger.ms='20': a config of Kafka's producer only, not of every client:"
                + " give it as kafka.producer.linger.ms", refused("kafka.linger.ms", "20").getMessage());
        assertEquals("invalid setting kafka.default.api.timeout.ms='60000': a config of Kafka's consumer and admin"
                + " client only, not of every client: give it as kafka.consumer.default.api.timeout.ms",
                refused("kafka.default.api.timeout.ms", "60000").getMessage());
        assertEquals("invalid setting kafka.topology.optimization='all': a config of Kafka Streams only: give it as"
                + " kafka.streams.topology.optimization", refused("kafka.topology.optimization", "all").getMessage());
        assertEquals("invalid setting kafka.producer.max.poll.records=[hidden]: not a config of Kafka's producer"
                + " (see Kafka's documentation of its configs)",
                refused("kafka.producer.max.poll.records", "10").getMessage());
        refused("kafka.admin.linger.ms", "5");
        refused("kafka.streams.linger.ms", "5");
        refused("kafka.consumer.", "5");
    }

    @Test
    void aValueKafkaRefusesStopsStartUp() {
        assertEquals("invalid setting kafka.request.timeout.ms='soon': Kafka refuses it: Not a number of type INT",
                refused("kafka.request.timeout.ms", "soon").getMessage());
        assertTrue(refused("kafka.security.protocol", "SASL").getMessage().startsWith(
                "invalid setting kafka.security.protocol='SASL': Kafka refuses it: "));
        refused("kafka.producer.acks", "some");
        refused("kafka.streams.topology.optimization", "maybe");
        refused("kafka.sasl.login.callback.handler.class", "org.example.NoSuchHandler");
    }

    @Test
    void whatOdditySetsItselfIsRefusedNamingTheSettingToUse() {
        assertEquals("invalid setting kafka.bootstrap.servers='b:9092': oddity sets bootstrap.servers itself: set"
                + " oddity's setting bootstrap.servers (or --bootstrap-servers)",
                refused("kafka.bootstrap.servers", "b:9092").getMessage());
        assertTrue(refused("kafka.streams.application.id", "x").getMessage().endsWith(
                "set oddity's setting application.id"));
        assertTrue(refused("kafka.streams.processing.guarantee", "at_least_once").getMessage().endsWith(
                "set oddity's setting streams.processing-guarantee"));
        assertTrue(refused("kafka.consumer.group.instance.id", "a").getMessage().endsWith(
                "set oddity's setting streams.instance-id"));
        assertTrue(refused("kafka.streams.replication.factor", "3").getMessage().endsWith(
                "set oddity's setting topics.replication-factor"));
        assertTrue(refused("kafka.streams.num.stream.threads", "2").getMessage().endsWith(
                "set oddity's setting streams.threads"));
        assertTrue(refused("kafka.streams.state.dir", "/tmp").getMessage().contains("work.dir"));
        assertTrue(refused("kafka.consumer.isolation.level", "read_uncommitted").getMessage().contains(
                "streams.processing-guarantee"));
        refused("kafka.producer.key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        refused("kafka.consumer.value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        refused("kafka.producer.transactional.id", "t");
        refused("kafka.consumer.group.id", "g");
        refused("kafka.streams.default.value.serde", "org.apache.kafka.common.serialization.Serdes$StringSerde");
        refused("kafka.streams.commit.interval.ms", "100");
    }

    @Test
    void noMessageShowsAPassword() {
        for (String key : new String[] {"kafka.sasl.jaas.confg", "kafka.streams.sasl.jaas.config",
            "kafka.sasl.jass.config", "kafka.producer.ssl.keystore.passwd", "kafka.topology.ssl.key.password"}) {
            InvalidSettingException e = refused(key, JAAS);
            assertFalse(e.getMessage().contains(SECRET), e.getMessage());
            assertTrue(e.getMessage().startsWith("invalid setting " + key + "=[hidden]: "), e.getMessage());
        }
        KafkaClientSettings clients = of(Map.of("kafka.sasl.jaas.config", JAAS, "kafka.ssl.truststore.password",
                SECRET, "kafka.consumer.ssl.key.password", SECRET, "kafka.producer.linger.ms", "20"));
        assertEquals(SERVERS + " {consumer.ssl.key.password=[hidden], producer.linger.ms=20,"
                + " sasl.jaas.config=[hidden], ssl.truststore.password=[hidden]}", clients.toString());
    }
}
