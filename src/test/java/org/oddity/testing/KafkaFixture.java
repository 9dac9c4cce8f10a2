package org.oddity.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.server.common.MetadataVersion;
import org.oddity.client.KafkaClientSettings;
import org.oddity.kafka.KafkaUnavailableException;
import org.oddity.kafka.TopicAdmin;
import org.oddity.topology.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** The Kafka every broker test talks to: KAFKA_BOOTSTRAP_SERVERS if set, else a Testcontainers Kafka if Docker is available, else an in-JVM KRaft broker. Started once per test JVM. */
public final class KafkaFixture {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaFixture.class);

    /** The environment variable that points the broker tests at an existing cluster. */
    public static final String BOOTSTRAP_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    /**
     * The official image, KRaft only; the same one for the shared fixture and the container test.
     * Its tag is the version of the kafka-clients jar the tests run with, so the broker the tests
     * start is the Kafka the pom pins (kafka.version) and the two cannot drift apart.
     */
    public static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka")
            .withTag(AppInfoParser.getVersion());

    /** The replication of the topics tests create: whatever the broker (or an external cluster) has by default. */
    private static final int BROKER_DEFAULT_REPLICATION = -1;

    private static KafkaFixture shared;

    private final String kind;
    private final String bootstrapServers;
    private final KafkaClientSettings clientSettings;

    private KafkaFixture(String kind, String bootstrapServers) {
        this.kind = kind;
        this.bootstrapServers = bootstrapServers;
        this.clientSettings = KafkaClientSettings.of(bootstrapServers);
    }

    /** The fixture of this test JVM, started on first use and stopped by a shutdown hook. */
    public static synchronized KafkaFixture shared() {
        if (shared == null) {
            long start = System.nanoTime();
            shared = start();
            LOG.info("Kafka for broker tests: {} at {}, ready after {} ms", shared.kind, shared.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        return shared;
    }

    /** Where clients connect, e.g. {@code localhost:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How oddity's clients connect to this Kafka. */
    public KafkaClientSettings clientSettings() {
        return clientSettings;
    }

    /** Which Kafka this is: {@code external}, {@code container} or {@code in-jvm}. */
    public String kind() {
        return kind;
    }

    /**
     * Creates the topics (the broker's default replication) and waits until every partition has
     * a leader, as the application itself does; a topic that already exists is left as it is.
     */
    public void createTopics(int partitions, String... names) {
        try {
            TopicAdmin.ensure(clientSettings, Arrays.stream(names).map(name -> Topics.newTopic(name, partitions,
                    BROKER_DEFAULT_REPLICATION)).toList());
        } catch (KafkaUnavailableException e) {
            throw new IllegalStateException("Could not create topics " + Arrays.toString(names), e);
        }
    }

    /** A fresh, mutable Admin client configuration for this Kafka. */
    public Map<String, Object> adminConfig() {
        return clientSettings.admin(Map.of());
    }

    /** The Kafka a test JVM gets, in the order the fixture prefers them. */
    enum Choice {
        /** The cluster KAFKA_BOOTSTRAP_SERVERS names. */
        EXTERNAL("external"),
        /** A Testcontainers Kafka of {@link #KAFKA_IMAGE}. */
        CONTAINER("container"),
        /** A KRaft broker inside the test JVM. */
        IN_JVM("in-jvm");

        private final String kind;

        Choice(String kind) {
            this.kind = kind;
        }

        /** The name {@link KafkaFixture#kind()} reports. */
        String kind() {
            return kind;
        }
    }

    /**
     * Which Kafka to start: the external cluster when {@code bootstrapEnv} (the value of
     * KAFKA_BOOTSTRAP_SERVERS, null when unset) names one, else a container when Docker answers,
     * else the in-JVM broker. Docker is asked only when there is no external cluster: detection
     * can take seconds.
     */
    static Choice choose(String bootstrapEnv, BooleanSupplier dockerAvailable) {
        if (bootstrapEnv != null && !bootstrapEnv.isBlank()) {
            return Choice.EXTERNAL;
        }
        return dockerAvailable.getAsBoolean() ? Choice.CONTAINER : Choice.IN_JVM;
    }

    private static KafkaFixture start() {
        String external = System.getenv(BOOTSTRAP_ENV);
        return switch (choose(external, KafkaFixture::isDockerAvailable)) {
            case EXTERNAL -> new KafkaFixture(Choice.EXTERNAL.kind(), external.trim());
            case CONTAINER -> startContainer();
            case IN_JVM -> startInJvm();
        };
    }

    private static boolean isDockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            // A half-configured Docker client is as good as none: fall back to the in-JVM broker.
            LOG.info("Docker detection failed ({}); using the in-JVM broker", e.toString());
            return false;
        }
    }

    private static KafkaFixture startContainer() {
        KafkaContainer container = new KafkaContainer(KAFKA_IMAGE);
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-fixture-container-stop"));
        return new KafkaFixture(Choice.CONTAINER.kind(), container.getBootstrapServers());
    }

    private static KafkaFixture startInJvm() {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                // The test kit defaults to the newest, unstable metadata version; tests should see
                // what a released broker runs.
                .setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION)
                .build();
        String brokerListener = nodes.brokerListenerName().value();
        String controllerListener = nodes.controllerListenerName().value();
        KafkaClusterTestKit cluster;
        try {
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("listeners",
                            brokerListener + "://127.0.0.1:0," + controllerListener + "://127.0.0.1:0")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "1")
                    // Test events carry simulated event times older than the default 7 days' retention.
                    .setConfigProp("log.retention.ms", "-1")
                    .setConfigProp("unstable.api.versions.enable", "false")
                    .setConfigProp("unstable.feature.versions.enable", "false")
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException("Could not build the in-JVM Kafka cluster", e);
        }
        try {
            bindListenersToLoopback(cluster, brokerListener, controllerListener);
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            closeQuietly(cluster);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not start the in-JVM Kafka cluster", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(cluster), "kafka-fixture-in-jvm-stop"));
        return new KafkaFixture(Choice.IN_JVM.kind(), cluster.bootstrapServers());
    }

    /**
     * The test kit pre-binds each listener on the wildcard address, whatever {@code listeners} says.
     * Closing those sockets before start-up makes its socket factory bind the same ports again on
     * the configured host, 127.0.0.1, so the test broker is not reachable from outside the machine.
     */
    private static void bindListenersToLoopback(KafkaClusterTestKit cluster, String brokerListener,
            String controllerListener) throws IOException {
        for (var broker : cluster.brokers().values()) {
            broker.sharedServer().socketFactory()
                    .openServerSocket(brokerListener, new InetSocketAddress(0), -1, -1).close();
        }
        for (var controller : cluster.controllers().values()) {
            controller.sharedServer().socketFactory()
                    .openServerSocket(controllerListener, new InetSocketAddress(0), -1, -1).close();
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        try {
            cluster.close();
        } catch (Exception e) {
            LOG.warn("Could not stop the in-JVM Kafka cluster cleanly", e);
        }
    }
}
