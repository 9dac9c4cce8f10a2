package org.oddity.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.oddity.client.KafkaClientSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker in a child JVM, listening on 127.0.0.1, with its data
 * under a work directory; its client listener is plaintext, or requires SASL/PLAIN
 * authentication as a secured cluster does.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);

    static final String HOST = "127.0.0.1";
    static final String DATA_DIR = "data";
    static final String LOG_FILE = "broker.log";
    private static final String SERVER_PROPERTIES = "server.properties";
    private static final String LOG4J_CONFIG = "broker-log4j2.xml";

    private static final String STORAGE_TOOL = "kafka.tools.StorageTool";
    private static final String BROKER_MAIN = ChildBrokerMain.class.getName();
    private static final List<String> BROKER_JVM_OPTIONS = List.of("-Xmx768m", "-XX:+ExitOnOutOfMemoryError");
    /** Formatting runs for two seconds; the quick JIT alone saves about a third of that on two cores. */
    private static final List<String> FORMAT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
    /** A single-node controlled shutdown takes about 2 s here; past this the broker is hung. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final int LOG_TAIL_LINES = 20;

    private Process process;
    private final String bootstrapServers;
    private final KafkaClientSettings clientSettings;
    private final int brokerPort;
    private final Path dir;
    private final Path dataDir;
    private final Path logFile;
    private final Thread shutdownHook;
    private boolean stopped;

    private LocalKafkaBroker(Process process, BrokerListener listener, int brokerPort, Path dir, Path dataDir,
            Path logFile) {
        this.process = process;
        this.bootstrapServers = HOST + ":" + brokerPort;
        this.clientSettings = KafkaClientSettings.of(bootstrapServers, listener.clientSettings());
        this.brokerPort = brokerPort;
        this.dir = dir;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stop, "local-kafka-broker-stop");
    }

    /** Formats fresh storage under {@code workDir}, starts the broker and returns once it answers describeCluster. */
    public static LocalKafkaBroker start(Path workDir, Duration startupTimeout) throws IOException {
        int[] ports = freeLoopbackPorts(2);
        return start(workDir, startupTimeout, ports[0], ports[1], BrokerListener.plaintext());
    }

    /**
     * As {@link #start(Path, Duration)}, with a client listener that requires SASL/PLAIN
     * authentication (security protocol SASL_PLAINTEXT) as one of {@code users}, a map of user
     * names to passwords (letters, digits, '.', '_' and '-'); for trying oddity against a secured
     * cluster. The users' passwords are in the broker's server.properties, readable by its owner
     * alone.
     */
    public static LocalKafkaBroker startRequiringLogin(Path workDir, Duration startupTimeout, Map<String, String> users)
            throws IOException {
        int[] ports = freeLoopbackPorts(2);
        return start(workDir, startupTimeout, ports[0], ports[1], BrokerListener.saslPlain(users));
    }

    /** Starts on the given ports; tests use it to make the broker fail on an occupied port. */
    static LocalKafkaBroker start(Path workDir, Duration startupTimeout, int brokerPort, int controllerPort,
            BrokerListener listener) throws IOException {
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        long startNanos = System.nanoTime();
        long deadline = startNanos + startupTimeout.toNanos();
        Path dir = Files.createDirectories(workDir.toAbsolutePath());
        Path dataDir = dir.resolve(DATA_DIR);
        Path logFile = dir.resolve(LOG_FILE);
        Path serverProperties = dir.resolve(SERVER_PROPERTIES);
        Path log4jConfig = dir.resolve(LOG4J_CONFIG);

        // Every start is a new cluster with a new id; data left by a killed run belongs to an old one
        // and would make formatting fail.
        deleteRecursively(dataDir);
        writePrivately(serverProperties, serverProperties(dataDir, brokerPort, controllerPort, listener));
        copyLog4jConfig(log4jConfig);
        Files.writeString(logFile, "");

        List<String> format = childCommand(FORMAT_JVM_OPTIONS, log4jConfig, STORAGE_TOOL, "format",
                "--cluster-id", Uuid.randomUuid().toString(), "--config", serverProperties.toString(),
                // One combined node that is its own dynamic KRaft quorum (KIP-853); pairs with
                // controller.quorum.bootstrap.servers in server.properties.
                "--standalone");
        Process formatter = launch(format, dir, logFile);
        formatter.getOutputStream().close();
        int formatExit = awaitExit(formatter, deadline);
        if (formatExit != 0) {
            throw failure(formatExit < 0
                    ? "Formatting Kafka storage did not finish within " + startupTimeout.toMillis() + " ms"
                    : "Formatting Kafka storage failed with exit code " + formatExit, logFile);
        }

        LocalKafkaBroker broker = new LocalKafkaBroker(launchServer(dir, logFile), listener, brokerPort, dir, dataDir,
                logFile);
        Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
        try {
            broker.awaitReady(brokerPort, deadline, startupTimeout);
        } catch (IOException | RuntimeException e) {
            broker.close();
            throw e;
        }
        LOG.info("Kafka broker ready on {} after {} ms (log: {})", broker.bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), logFile);
        return broker;
    }

    /**
     * Kills the broker with SIGKILL, as a power cut would, waits {@code downtime}, and starts it
     * again on the same ports with the data it had; returns once it answers. For fault tests.
     */
    public synchronized void killAndRestart(Duration downtime, Duration startupTimeout)
            throws IOException, InterruptedException {
        process.destroyForcibly().waitFor();
        Thread.sleep(downtime.toMillis());
        long deadline = System.nanoTime() + startupTimeout.toNanos();
        process = launchServer(dir, logFile);
        awaitReady(brokerPort, deadline, startupTimeout);
    }

    private static Process launchServer(Path dir, Path logFile) throws IOException {
        return launch(childCommand(BROKER_JVM_OPTIONS, dir.resolve(LOG4J_CONFIG), BROKER_MAIN,
                dir.resolve(SERVER_PROPERTIES).toString()), dir, logFile);
    }

    /** The broker's client listener, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** How a client connects to the broker: its listener, as the broker's own user if it requires a login. */
    public KafkaClientSettings clientSettings() {
        return clientSettings;
    }

    /** The child's combined stdout, stderr and Log4j output: what to read when the broker misbehaves. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the broker (SIGTERM, then a forced kill after a timeout) and deletes its data directory; idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            // The hook is running or about to run, and does the same as below.
        }
        stop();
    }

    /** The child process, so tests can check that it is gone after close. */
    ProcessHandle processHandle() {
        return process.toHandle();
    }

    private static String serverProperties(Path dataDir, int brokerPort, int controllerPort,
            BrokerListener listener) {
        String broker = listener.name() + "://" + HOST + ":" + brokerPort;
        String controller = HOST + ":" + controllerPort;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", "1");
        settings.put("controller.quorum.bootstrap.servers", controller);
        settings.put("listeners", broker + ",CONTROLLER://" + controller);
        settings.put("advertised.listeners", broker + ",CONTROLLER://" + controller);
        // The controller's listener is between the node's two roles; clients use the one above.
        settings.put("listener.security.protocol.map", listener.name() + ":" + listener.name()
                + ",CONTROLLER:PLAINTEXT");
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", listener.name());
        settings.putAll(listener.serverSettings());
        // Backslashes are escapes in a properties file; Java accepts forward slashes on every platform.
        settings.put("log.dirs", dataDir.toString().replace('\\', '/'));
        // One broker: every internal topic has exactly one replica.
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("min.insync.replicas", "1");
        // Nobody else will join the group, so waiting for them only delays every Streams start.
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("num.partitions", "1");
        // Records carry their event time, and simulated or replayed events are often older than the
        // default 7 days' retention: the broker would delete them, unread, minutes after they arrive.
        // This broker's data lives as long as the broker, so nothing is deleted by age.
        settings.put("log.retention.ms", "-1");
        return settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n",
                        "# Written by oddity's LocalKafkaBroker at every start; edits are overwritten.\n", "\n"));
    }

    private void awaitReady(int brokerPort, long deadline, Duration startupTimeout) throws IOException {
        Admin admin = null;
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw failure("Kafka broker exited with code " + process.exitValue() + " during start-up", logFile);
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw failure("Kafka broker did not start within " + startupTimeout.toMillis() + " ms", logFile);
                }
                // Probing the port first keeps the Admin client from logging a refused connection
                // for every retry while the JVM is still starting.
                if (admin != null || isListening(brokerPort)) {
                    if (admin == null) {
                        admin = Admin.create(clientSettings.admin(Map.of(
                                AdminClientConfig.CLIENT_ID_CONFIG, "oddity-local-broker-probe")));
                    }
                    if (describesCluster(admin, Math.min(remaining, PROBE_TIMEOUT.toNanos()))) {
                        return;
                    }
                }
                Thread.sleep(PROBE_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for the Kafka broker to start");
        } finally {
            if (admin != null) {
                admin.close(PROBE_TIMEOUT);
            }
        }
    }

    private static boolean describesCluster(Admin admin, long timeoutNanos) throws InterruptedException {
        long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMillis))
                    .nodes().get(timeoutMillis, TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException notYet) {
            return false;
        }
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        terminate(process);
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyClosed) {
            // The child has exited; its pipe needs nothing more.
        }
        try {
            deleteRecursively(dataDir);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete the Kafka data directory {}: {}", dataDir, e.toString());
        }
    }

    private static void terminate(Process child) {
        // destroy() is SIGTERM, which runs Kafka's controlled shutdown; destroyForcibly() is SIGKILL.
        child.destroy();
        try {
            if (!child.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Kafka broker did not stop within {}; killing it", STOP_TIMEOUT);
                child.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the child until the deadline; returns its exit code, or -1 after killing it on timeout. */
    private static int awaitExit(Process child, long deadline) throws IOException {
        try {
            if (child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return child.exitValue();
            }
            child.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return -1;
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while formatting Kafka storage");
        }
    }

    private static List<String> childCommand(List<String> jvmOptions, Path log4jConfig, String mainClass,
            String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=" + log4jConfig.toUri());
        // The application's own classpath carries kafka_2.13 and its dependencies (and ChildBrokerMain);
        // its relative entries are made absolute because the child runs in the work directory.
        command.add("-cp");
        command.add(Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator)));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /** Starts a child whose output goes to the log file; its stdin stays a pipe from this process. */
    private static Process launch(List<String> command, Path workDir, Path logFile) throws IOException {
        return new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile.toFile()))
                .start();
    }

    /** Writes {@code text} to {@code file}, readable by its owner alone where the file system can say so. */
    private static void writePrivately(Path file, String text) throws IOException {
        Files.writeString(file, "");
        // Restricted before the text (with the users' passwords) goes in.
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        Files.writeString(file, text);
    }

    private static void copyLog4jConfig(Path target) throws IOException {
        try (InputStream in = LocalKafkaBroker.class.getResourceAsStream("/" + LOG4J_CONFIG)) {
            if (in == null) {
                throw new IOException(LOG4J_CONFIG + " is missing from the classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The cause of a failed start is usually the first ERROR record, while the last lines are the
     * shutdown that followed it, so the message carries both.
     */
    private static IOException failure(String what, Path logFile) {
        StringBuilder message = new StringBuilder(what).append(" (log: ").append(logFile).append(')');
        List<String> lines;
        try {
            lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return new IOException(message.append("; the log cannot be read: ").append(e).toString());
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("] ERROR ")) {
                message.append("\nfirst error:\n").append(lines.get(i));
                // A record's exception follows it on lines that do not start a new "[timestamp]" record.
                if (i + 1 < lines.size() && !lines.get(i + 1).startsWith("[")) {
                    message.append('\n').append(lines.get(i + 1));
                }
                break;
            }
        }
        message.append("\nlast lines:\n")
                .append(String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())));
        return new IOException(message.toString());
    }

    /** Binds all sockets at once so that the ports are distinct; the broker binds them again moments later. */
    private static int[] freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
