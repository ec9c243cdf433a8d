package com.mandateregistry.infra.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The embedded development stack: an {@link EmbeddedPostgresServer} and an {@link EmbeddedKafkaBroker}
 * sharing one data directory ({@code <dataDir>/postgres} and {@code <dataDir>/kafka}), so that the
 * application runs on a bare machine with only Java and Maven, and its data survives restarts.
 *
 * <p>Closing the stack stops Kafka first, then PostgreSQL. If starting one of them fails, whatever was
 * already started is stopped again before the exception propagates.
 */
public final class EmbeddedStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);

    private final Path dataDirectory;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedKafkaBroker kafka;

    private EmbeddedStack(Path dataDirectory, EmbeddedPostgresServer postgres, EmbeddedKafkaBroker kafka) {
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
        this.kafka = kafka;
    }

    /**
     * Starts PostgreSQL (database {@value EmbeddedPostgresServer#DEFAULT_DATABASE}) and a KRaft broker
     * (topic auto-creation on, {@value EmbeddedKafkaBroker#DEFAULT_NUM_PARTITIONS} partitions) in {@code dataDir}.
     *
     * @param dataDir the data directory; created if missing
     * @param postgresPort PostgreSQL's port on localhost; {@code 0} picks a free one
     * @param kafkaPort Kafka's PLAINTEXT port on 127.0.0.1; {@code 0} picks a free one
     * @return the running stack, to be closed by the caller
     */
    public static EmbeddedStack start(Path dataDir, int postgresPort, int kafkaPort) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path dir = dataDir.toAbsolutePath().normalize();
        long started = System.nanoTime();
        EmbeddedPostgresServer postgres = new EmbeddedPostgresServer(dir, postgresPort);
        EmbeddedKafkaBroker kafka;
        try {
            kafka = new EmbeddedKafkaBroker(dir, kafkaPort);
        } catch (RuntimeException e) {
            try {
                postgres.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        LOG.info("Embedded stack ready in {} ms: {} and {}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), postgres.jdbcUrl(), kafka.bootstrapServers());
        return new EmbeddedStack(dir, postgres, kafka);
    }

    /** @return the PostgreSQL server */
    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    /** @return the Kafka broker */
    public EmbeddedKafkaBroker kafka() {
        return kafka;
    }

    /** @return the data directory shared by both */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** @return shorthand for {@code postgres().jdbcUrl()} */
    public String jdbcUrl() {
        return postgres.jdbcUrl();
    }

    /** @return shorthand for {@code kafka().bootstrapServers()} */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Stops Kafka, then PostgreSQL; both are attempted even if the first fails. Idempotent. */
    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            kafka.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            postgres.close();
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "EmbeddedStack[" + postgres + ", " + kafka + "]";
    }
}
