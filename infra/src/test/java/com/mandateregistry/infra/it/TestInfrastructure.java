package com.mandateregistry.infra.it;

import com.mandateregistry.infra.embedded.EmbeddedKafkaBroker;
import com.mandateregistry.infra.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only helper: one real PostgreSQL server and one real in-process KRaft broker per test JVM,
 * started as if they were external services. Each test that needs a clean slate asks for its own
 * database and topic.
 */
final class TestInfrastructure {

  private static TestInfrastructure instance;
  private static final AtomicInteger NAMES = new AtomicInteger();

  private final EmbeddedPostgresServer postgres;
  private final EmbeddedKafkaBroker kafka;
  /** Applications running on this infrastructure and not yet closed, newest last. */
  private final Set<AutoCloseable> users = Collections.synchronizedSet(new LinkedHashSet<>());

  private TestInfrastructure(Path dir) {
    this.postgres = new EmbeddedPostgresServer(dir.resolve("postgres"), 0);
    this.kafka = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0, false, 3);
    // one hook, in order: the applications still open, then the broker and the database
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
  }

  private void stop() {
    List<AutoCloseable> open;
    synchronized (users) {
      open = new ArrayList<>(users);
    }
    Collections.reverse(open);
    for (AutoCloseable user : open) {
      try {
        user.close();
      } catch (Exception e) {
        System.err.println("closing " + user + " at exit: " + e);
      }
    }
    kafka.close();
    postgres.close();
  }

  /**
   * {@code user} is closed at the JVM's exit, before the broker and the database stop, unless it
   * was {@link #forget forgotten}.
   */
  void closeBeforeStopping(AutoCloseable user) {
    users.add(user);
  }

  /** {@code user} was closed. */
  void forget(AutoCloseable user) {
    users.remove(user);
  }

  static synchronized TestInfrastructure get() {
    if (instance == null) {
      try {
        instance = new TestInfrastructure(Files.createTempDirectory("mandate-registry-it"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  String username() {
    return postgres.username();
  }

  String password() {
    return postgres.password();
  }

  /** Creates a new, empty database and returns its JDBC URL. */
  String newDatabase() {
    String name = "it_" + NAMES.incrementAndGet() + "_" + ProcessHandle.current().pid();
    try (Connection c = postgres.connect();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    return postgres.jdbcUrl(name);
  }

  /** A topic name no other test uses. */
  String newTopic() {
    return "it-events-" + NAMES.incrementAndGet();
  }
}
