package org.oddity.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.oddity.kafka.KafkaUnavailableException;
import org.oddity.kafka.TopicAdmin;
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
    /** The official image, KRaft only; the same one for the shared fixture and the container test. */
    public static final DockerImageName KAFKA_IMAGE = DockerImageName.parse("apache/kafka:4.1.0");


    private static KafkaFixture shared;

    private final String kind;
    private final String bootstrapServers;

    private KafkaFixture(String kind, String bootstrapServers) {
        this.kind = kind;
        this.bootstrapServers = bootstrapServers;
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
            TopicAdmin.ensure(bootstrapServers, partitions, List.of(names));
        } catch (KafkaUnavailableException e) {
            throw new IllegalStateException("Could not create topics " + Arrays.toString(names), e);
        }
    }

    /** A fresh, mutable Admin client configuration for this Kafka. */
    public Map<String, Object> adminConfig() {
        return new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    private static KafkaFixture start() {
        String external = System.getenv(BOOTSTRAP_ENV);
        if (external != null && !external.isBlank()) {
            return new KafkaFixture("external", external.trim());
        }
        if (isDockerAvailable()) {
            return startContainer();
        }
        return startInJvm();
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
        return new KafkaFixture("container", container.getBootstrapServers());
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
        return new KafkaFixture("in-jvm", cluster.bootstrapServers());
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
