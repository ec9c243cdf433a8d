package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mandateregistry.infra.axon.DuplicateKeyResolver;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event store's duplicate-key resolver against the failures PostgreSQL's driver really throws:
 * a unique violation, alone or from a batch (Axon's storage engine inserts events in batches), is
 * one, wrapped or not; another constraint's violation is not. Before, Axon's resolver recognised
 * none of them, so two nodes appending an aggregate's same next event answered 500.
 */
class DuplicateKeyResolverIT {

  private static TestApp app;

  @BeforeAll
  static void start() {
    app = TestApp.shared();
  }

  private final PersistenceExceptionResolver resolver = new DuplicateKeyResolver();

  /** Runs {@code sql} statements on a fresh temporary table and returns what the last one threw. */
  private static SQLException failure(boolean batch, String... values) throws SQLException {
    try (Connection c = app.bean(DataSource.class).getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TEMP TABLE dup_probe (k INT PRIMARY KEY, v TEXT NOT NULL)");
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO dup_probe (k, v) VALUES (1, ?)")) {
        for (String v : values) {
          insert.setString(1, v);
          if (batch) {
            insert.addBatch();
          } else {
            try {
              insert.executeUpdate();
            } catch (SQLException e) {
              return e;
            }
          }
        }
        if (batch) {
          return catchThrowableOfType(insert::executeBatch, BatchUpdateException.class);
        }
      } finally {
        try (Statement s = c.createStatement()) {
          s.execute("DROP TABLE IF EXISTS dup_probe");
        }
      }
    }
    throw new AssertionError("nothing failed");
  }

  @Test
  void aUniqueViolation_alone_fromABatch_orWrapped_isADuplicateKey() throws SQLException {
    SQLException alone = failure(false, "a", "b");
    SQLException fromBatch = failure(true, "a", "b");

    assertThat(alone.getSQLState()).isEqualTo("23505");
    assertThat((Object) fromBatch).isInstanceOf(BatchUpdateException.class);
    assertThat(resolver.isDuplicateKeyViolation(alone)).isTrue();
    assertThat(resolver.isDuplicateKeyViolation(fromBatch)).isTrue();
    assertThat(resolver.isDuplicateKeyViolation(new EventStoreException("wrapped", fromBatch))).isTrue();
  }

  @Test
  void anotherConstraintsViolation_isNot() throws SQLException {
    SQLException notNull = failure(false, (String) null);
    SQLException notNullInBatch = failure(true, (String) null);

    assertThat(notNull.getSQLState()).isEqualTo("23502");
    assertThat(resolver.isDuplicateKeyViolation(notNull)).isFalse();
    assertThat(resolver.isDuplicateKeyViolation(notNullInBatch)).isFalse();
    assertThat(resolver.isDuplicateKeyViolation(new IllegalStateException("no SQL"))).isFalse();
  }

  @Test
  void theEventStoreUsesIt() {
    assertThat(app.bean(PersistenceExceptionResolver.class)).isInstanceOf(DuplicateKeyResolver.class);
  }
}
