package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseUnavailableTest {

  @Test
  void noConnection_noTransaction_aTimeout_areTheDatabaseUnavailable() {
    assertThat(DatabaseUnavailable.causes(new CannotGetJdbcConnectionException("pool timed out"))).isTrue();
    assertThat(DatabaseUnavailable.causes(new CannotCreateTransactionException("no connection"))).isTrue();
    assertThat(DatabaseUnavailable.causes(new QueryTimeoutException("cancelled"))).isTrue();
    assertThat(DatabaseUnavailable.causes(new SQLTransientConnectionException("HikariPool-1 - timed out"))).isTrue();
  }

  @Test
  void connectionSqlStates_areTheDatabaseUnavailable_otherStatesAreNot() {
    for (String state : new String[] {"08001", "08006", "57P01", "57P02", "57P03"}) {
      assertThat(DatabaseUnavailable.causes(new SQLException("x", state))).as(state).isTrue();
    }
    for (String state : new String[] {"23505", "40001", "42P01", "57014", null}) {
      assertThat(DatabaseUnavailable.causes(new SQLException("x", state))).as(state).isFalse();
    }
  }

  @Test
  void theCauseChainIsSearched_andOtherFailuresAreNotTheDatabase() {
    RuntimeException wrapped =
        new IllegalStateException("event not stored", new RuntimeException(new SQLException("I/O error", "08006")));
    assertThat(DatabaseUnavailable.causes(wrapped)).isTrue();
    assertThat(DatabaseUnavailable.causes(new DataIntegrityViolationException("duplicate key"))).isFalse();
    assertThat(DatabaseUnavailable.causes(new IllegalStateException("a bug"))).isFalse();
    assertThat(DatabaseUnavailable.causes(null)).isFalse();
  }
}
