package com.mandateregistry.infra.embedded;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A single-node Apache Kafka broker in KRaft mode (one process with the {@code broker} and
 * {@code controller} roles), running inside this JVM, for the embedded development stack.
 *
 * <p>Unlike spring-kafka-test's {@code EmbeddedKafkaKraftBroker}, which uses temporary directories,
 * this broker keeps its log directory in {@code <dataDir>/kafka/logs}, so that topics, records,
 * committed consumer offsets and the cluster metadata survive a restart. The directory is formatted
 * (as {@code kafka-storage.sh format} would) on the first start only; the cluster id is kept in
 * {@code meta.properties} there.
 *
 * <p>Listeners bind to {@code 127.0.0.1} only: {@code PLAINTEXT} on the requested port (clients use
 * {@link #bootstrapServers()}), and {@code CONTROLLER} on a free port picked at every start (the
 * quorum is static, {@code controller.quorum.voters}, so the controller port need not be stable).
 *
 * <p>Defaults suited to one node: replication factor 1 and min ISR 1 everywhere (offsets and
 * transaction state topics included), {@code group.initial.rebalance.delay.ms=0}, and unlimited
 * retention ({@code log.retention.ms=-1}), because the application's consumers must be able to replay
 * the event stream from the start. Anything can be overridden with the {@code overrides} map.
 *
 * <p>While it runs, the broker holds an exclusive lock on {@code <dataDir>/kafka/embedded-kafka.lock}:
 * a second broker on the same directory, in this JVM or another, fails at once with
 * {@link IllegalStateException} instead of damaging the first one's metadata log.
 *
 * <p>The constructor returns only when the broker is ready: an admin client sees the node in
 * {@code describeCluster}, and every existing partition (internal topics included) has a leader, so
 * that records stored before a restart can be read at once.
 *
 * <p>Kafka's own loggers ({@code kafka}, {@code org.apache.kafka}, {@code state.change.logger},
 * {@code org.apache.zookeeper}) are set to WARN when Logback is the SLF4J backend and no level was
 * configured for them. This also quietens the INFO logs of Kafka clients in the same JVM, which share
 * the {@code org.apache.kafka} prefix.
 *
 * <p>Instances keep no static state: after {@link #close()} a new broker can be started in the same
 * JVM on the same data directory. When the last broker of this class in the JVM stops, the broker
 * metrics that Kafka leaves in its JVM-wide Yammer registry (and in JMX) are removed.
 *
 * <p>As in a standalone broker, Kafka's fatal-fault handlers halt the JVM (through
 * {@code org.apache.kafka.common.utils.Exit}) if the metadata log becomes unusable at run time.
 * Start-up failures (a port in use, a directory in use) are thrown as exceptions instead.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    /** The node id of the single broker/controller. */
    public static final int NODE_ID = 1;

    /** Default {@code num.partitions} for auto-created topics and topics created without a count. */
    public static final int DEFAULT_NUM_PARTITIONS = 3;

    /** How long the constructor waits for the broker to become ready. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final String LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String HOST = "127.0.0.1";
    private static final int BIND_ATTEMPTS = 3;
    /** Brokers of this class alive in this JVM; the shared Yammer registry is cleared when it drops to 0. */
    private static final AtomicInteger RUNNING = new AtomicInteger();

    private final Path kafkaDirectory;
    private final Path logDirectory;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final KafkaRaftServer server;
    private final FileChannel directoryLock;
    private volatile boolean closed;

    /**
     * Starts a broker with topic auto-creation on and {@value #DEFAULT_NUM_PARTITIONS} partitions per topic.
     *
     * @param dataDir the stack's data directory; the broker uses {@code <dataDir>/kafka}
     * @param port the PLAINTEXT port on 127.0.0.1; {@code 0} picks a free one
     */
    public EmbeddedKafkaBroker(Path dataDir, int port) {
        this(dataDir, port, true, DEFAULT_NUM_PARTITIONS, Map.of());
    }

    /**
     * Starts a broker.
     *
     * @param dataDir the stack's data directory; the broker uses {@code <dataDir>/kafka}
     * @param port the PLAINTEXT port on 127.0.0.1; {@code 0} picks a free one
     * @param autoCreateTopics value of {@code auto.create.topics.enable}
     * @param numPartitions value of {@code num.partitions} (at least 1)
     */
    public EmbeddedKafkaBroker(Path dataDir, int port, boolean autoCreateTopics, int numPartitions) {
        this(dataDir, port, autoCreateTopics, numPartitions, Map.of());
    }

    /**
     * Starts a broker.
     *
     * @param dataDir the stack's data directory; the broker uses {@code <dataDir>/kafka}
     * @param port the PLAINTEXT port on 127.0.0.1; {@code 0} picks a free one
     * @param autoCreateTopics value of {@code auto.create.topics.enable}
     * @param numPartitions value of {@code num.partitions} (at least 1)
     * @param overrides further broker properties, applied last (listener, role and directory
     *                  settings are better left alone)
     * @throws IllegalStateException if the broker does not start or become ready in time
     */
    public EmbeddedKafkaBroker(Path dataDir, int port, boolean autoCreateTopics, int numPartitions,
                               Map<String, String> overrides) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(overrides, "overrides");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (numPartitions < 1) {
            throw new IllegalArgumentException("numPartitions must be at least 1: " + numPartitions);
        }
        long started = System.nanoTime();
        EmbeddedLogging.quietenKafka();
        this.kafkaDirectory = dataDir.toAbsolutePath().normalize().resolve("kafka");
        this.logDirectory = kafkaDirectory.resolve("logs");
        try {
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + logDirectory, e);
        }

        this.directoryLock = lockDirectory(kafkaDirectory);
        RUNNING.incrementAndGet();
        Started s;
        try {
            s = startServer(port, autoCreateTopics, numPartitions, overrides);
        } catch (RuntimeException e) {
            if (RUNNING.decrementAndGet() == 0) {
                clearBrokerMetrics();
            }
            releaseQuietly(directoryLock);
            throw e;
        }
        this.server = s.server();
        this.port = s.port();
        this.controllerPort = s.controllerPort();
        this.clusterId = readClusterId(logDirectory);
        try {
            awaitReady(DEFAULT_STARTUP_TIMEOUT);
        } catch (RuntimeException e) {
            closed = true;
            stopQuietly(server);
            if (RUNNING.decrementAndGet() == 0) {
                clearBrokerMetrics();
            }
            releaseQuietly(directoryLock);
            throw e;
        }
        LOG.info("Embedded Kafka (KRaft, cluster {}) ready on {} (data in {}) in {} ms",
                clusterId, bootstrapServers(), logDirectory,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private record Started(KafkaRaftServer server, int port, int controllerPort) {
    }

    private Started startServer(int port, boolean autoCreateTopics, int numPartitions, Map<String, String> overrides) {
        RuntimeException lastFailure = null;
        for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
            int brokerPort = port == 0 ? freePort() : port;
            int ctrlPort = freePort(brokerPort);
            Map<String, String> config = brokerConfig(brokerPort, ctrlPort, autoCreateTopics, numPartitions, overrides);
            formatIfNeeded(config);
            KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(config, false), Time.SYSTEM);
            try {
                candidate.startup();
                return new Started(candidate, brokerPort, ctrlPort);
            } catch (RuntimeException e) {
                stopQuietly(candidate);
                lastFailure = e;
                // a port picked by us may have been taken in between; a fixed port taken is final
                boolean ephemeralClash = isBindFailure(e) && (port == 0 || !isBindFailureOn(e, brokerPort));
                if (!ephemeralClash) {
                    break;
                }
                LOG.warn("Embedded Kafka could not bind its ports ({}), retrying with other ports", e.toString());
            }
        }
        throw new IllegalStateException("could not start embedded Kafka in " + kafkaDirectory, lastFailure);
    }

    /** @return the bootstrap servers for clients, {@code 127.0.0.1:<port>} */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** @return the PLAINTEXT port (resolved when {@code 0} was requested) */
    public int port() {
        return port;
    }

    /** @return the CONTROLLER listener's port for this run */
    public int controllerPort() {
        return controllerPort;
    }

    /** @return the cluster id stored in {@code meta.properties}; stable across restarts */
    public String clusterId() {
        return clusterId;
    }

    /** @return the Kafka log directory, {@code <dataDir>/kafka/logs} */
    public Path logDirectory() {
        return logDirectory;
    }

    /**
     * Shuts the broker down cleanly (controlled shutdown, logs flushed and closed) and waits until it
     * has stopped, so that its ports are free and its directory unlocked. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (RUNNING.decrementAndGet() == 0) {
                clearBrokerMetrics();
            }
            releaseQuietly(directoryLock);
        }
        LOG.info("Embedded Kafka on {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", dir=" + logDirectory + (closed ? ", closed" : "") + "]";
    }

    private Map<String, String> brokerConfig(int brokerPort, int ctrlPort, boolean autoCreateTopics,
                                             int numPartitions, Map<String, String> overrides) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", Integer.toString(NODE_ID));
        c.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + ctrlPort);
        c.put("listeners", LISTENER + "://" + HOST + ":" + brokerPort + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + ctrlPort);
        c.put("advertised.listeners", LISTENER + "://" + HOST + ":" + brokerPort);
        c.put("listener.security.protocol.map", LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        c.put("controller.listener.names", CONTROLLER_LISTENER);
        c.put("inter.broker.listener.name", LISTENER);
        c.put("log.dirs", logDirectory.toString());
        c.put("auto.create.topics.enable", Boolean.toString(autoCreateTopics));
        c.put("num.partitions", Integer.toString(numPartitions));
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "5");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "5");
        c.put("group.initial.rebalance.delay.ms", "0");
        c.put("log.retention.ms", "-1");
        // small-machine settings: fewer threads, and no 128 MiB log-cleaner buffer
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "4");
        c.put("num.recovery.threads.per.data.dir", "1");
        c.put("background.threads", "4");
        c.put("log.cleaner.threads", "1");
        c.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        c.put("log.cleaner.io.buffer.size", Integer.toString(512 * 1024));
        // quick controlled shutdown of the only node
        c.put("controlled.shutdown.enable", "true");
        c.put("broker.heartbeat.interval.ms", "500");
        // after a crash, the previous incarnation's registration blocks the new one until its session
        // expires (default 9 s); one node heartbeating to its own in-process controller can use less
        c.put("broker.session.timeout.ms", "3000");
        c.putAll(overrides);
        return c;
    }

    /**
     * Formats the log directory on first use, like {@code kafka-storage.sh format -t <id> -c <config>}:
     * it writes {@code meta.properties} (cluster and node id) and the bootstrap metadata checkpoint.
     * A directory that already has {@code meta.properties} is left as it is.
     */
    private void formatIfNeeded(Map<String, String> config) {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        String newClusterId = Uuid.randomUuid().toString();
        Path configFile = null;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            configFile = Files.createTempFile(kafkaDirectory, "format-", ".properties");
            Properties properties = new Properties();
            properties.putAll(config);
            try (OutputStream out = Files.newOutputStream(configFile)) {
                properties.store(out, "embedded Kafka, used once to format " + logDirectory);
            }
            int rc;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                rc = StorageTool.execute(new String[] {
                        "format", "--config", configFile.toString(), "--cluster-id", newClusterId}, print);
            }
            if (rc != 0) {
                throw new IllegalStateException("formatting " + logDirectory + " failed (" + rc + "): "
                        + output.toString(StandardCharsets.UTF_8));
            }
            LOG.info("Formatted {} for new KRaft cluster {}: {}", logDirectory, newClusterId,
                    output.toString(StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("could not format " + logDirectory, e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException e) {
                    LOG.debug("could not delete {}", configFile, e);
                }
            }
        }
    }

    /**
     * Polls with an admin client until the node is listed by {@code describeCluster} and every
     * partition (internal topics included) has a leader.
     */
    private void awaitReady(Duration timeout) {
        Map<String, Object> adminConfig = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        long deadline = System.nanoTime() + timeout.toNanos();
        String notReady = "not checked yet";
        try (Admin admin = Admin.create(adminConfig)) {
            while (System.nanoTime() < deadline) {
                try {
                    notReady = readinessProblem(admin);
                    if (notReady == null) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    notReady = e.toString();
                }
                LOG.debug("Embedded Kafka not ready yet: {}", notReady);
                Thread.sleep(100); // back-off between polls
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        }
        throw new IllegalStateException("embedded Kafka on " + bootstrapServers() + " not ready after "
                + timeout + ": " + notReady);
    }

    private static String readinessProblem(Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException {
        Collection<Node> nodes = admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
        if (nodes.stream().noneMatch(n -> n.id() == NODE_ID)) {
            return "node " + NODE_ID + " not registered yet: " + nodes;
        }
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true))
                .names().get(10, TimeUnit.SECONDS);
        if (topics.isEmpty()) {
            return null;
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics)
                .allTopicNames().get(10, TimeUnit.SECONDS);
        for (TopicDescription d : descriptions.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                if (p.leader() == null || p.leader().isEmpty()) {
                    return "no leader yet for " + d.name() + "-" + p.partition();
                }
            }
        }
        return null;
    }

    private static String readClusterId(Path logDirectory) {
        Properties meta = new Properties();
        try (InputStream in = Files.newInputStream(logDirectory.resolve("meta.properties"))) {
            meta.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read meta.properties in " + logDirectory, e);
        }
        return meta.getProperty("cluster.id");
    }

    /**
     * The broker registers Yammer metrics (and their JMX beans) in a JVM-wide registry,
     * {@code KafkaYammerMetrics.defaultRegistry()}, and does not remove all of them on shutdown; the
     * leftover gauges keep the stopped broker reachable. Kafka's own test harness clears the registry
     * between brokers, and so does this class once its last broker has stopped. Reflection keeps
     * {@code kafka-server-common} and {@code metrics-core} off the compile classpath.
     */
    private static void clearBrokerMetrics() {
        try {
            Class<?> yammer = Class.forName("org.apache.kafka.server.metrics.KafkaYammerMetrics");
            Object registry = yammer.getMethod("defaultRegistry").invoke(null);
            Map<?, ?> metrics = (Map<?, ?>) registry.getClass().getMethod("allMetrics").invoke(registry);
            Class<?> metricName = Class.forName("com.yammer.metrics.core.MetricName");
            java.lang.reflect.Method remove = registry.getClass().getMethod("removeMetric", metricName);
            for (Object name : List.copyOf(metrics.keySet())) {
                remove.invoke(registry, name);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("Could not clear Kafka's Yammer metrics", e);
        }
    }

    /**
     * Takes an exclusive lock on {@code <dataDir>/kafka/embedded-kafka.lock} for the broker's lifetime.
     * Kafka locks its log directory only once the broker part starts, after the metadata log has been
     * opened (and possibly truncated by log recovery), so a second broker started on a directory in use
     * would damage the running one's metadata log before failing. This lock makes it fail first.
     */
    private static FileChannel lockDirectory(Path kafkaDirectory) {
        Path lockFile = kafkaDirectory.resolve("embedded-kafka.lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                throw new IllegalStateException(kafkaDirectory + " is in use by another running embedded Kafka");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            releaseQuietly(channel);
            throw new IllegalStateException(kafkaDirectory + " is in use by an embedded Kafka in this JVM", e);
        } catch (IOException e) {
            releaseQuietly(channel);
            throw new UncheckedIOException("could not lock " + lockFile, e);
        } catch (RuntimeException e) {
            releaseQuietly(channel);
            throw e;
        }
    }

    /** Closing the channel releases its lock. */
    private static void releaseQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("could not release the directory lock", e);
        }
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.warn("Failed to stop embedded Kafka after a failed start", e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("failed to bind")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBindFailureOn(Throwable e, int port) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(":" + port)) {
                return true;
            }
        }
        return false;
    }

    /** Picks a currently free TCP port on the loopback interface, different from {@code avoid}. */
    private static int freePort(int... avoid) {
        for (int i = 0; i < 10; i++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
                socket.setReuseAddress(true);
                int candidate = socket.getLocalPort();
                boolean clash = false;
                for (int a : avoid) {
                    clash |= a == candidate;
                }
                if (!clash) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not find a free port", e);
            }
        }
        throw new IllegalStateException("could not find a free port");
    }
}
