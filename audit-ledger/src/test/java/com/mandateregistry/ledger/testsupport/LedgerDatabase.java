package com.mandateregistry.ledger.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Test-only helper: a real PostgreSQL (zonky embedded, one server per JVM) and, per call, a fresh
 * database migrated by Flyway with audit-ledger's own migrations.
 */
public final class LedgerDatabase {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres server;

  private final String name;
  private final String jdbcUrl;
  private final DataSource dataSource;

  private LedgerDatabase(String name, String jdbcUrl, DataSource dataSource) {
    this.name = name;
    this.jdbcUrl = jdbcUrl;
    this.dataSource = dataSource;
  }

  /** A new, migrated database. */
  public static LedgerDatabase create() {
    EmbeddedPostgres pg = server();
    String name = "ledger_" + COUNTER.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    String url = pg.getJdbcUrl("postgres", name);
    DriverManagerDataSource dataSource = new DriverManagerDataSource(url, "postgres", "postgres");
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    return new LedgerDatabase(name, url, dataSource);
  }

  private static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException ignored) {
          // shutting down anyway
        }
      }));
    }
    return server;
  }

  public String name() {
    return name;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public JdbcTemplate jdbc() {
    return new JdbcTemplate(dataSource);
  }

  public DataSourceTransactionManager transactionManager() {
    return new DataSourceTransactionManager(dataSource);
  }

  /**
   * Runs SQL as a superuser with triggers switched off ({@code session_replication_role =
   * replica}): what an attacker with full database access could do.
   */
  public void tamper(String... statements) {
    try (Connection c = dataSource.getConnection()) {
      SingleConnectionDataSource single = new SingleConnectionDataSource(c, true);
      JdbcTemplate jdbc = new JdbcTemplate(single);
      jdbc.execute("SET session_replication_role = replica");
      for (String sql : statements) {
        jdbc.execute(sql);
      }
      jdbc.execute("SET session_replication_role = DEFAULT");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
