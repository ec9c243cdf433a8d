package com.mandateregistry.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
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
  void connectionAndTimeoutSqlStates_areTheDatabaseUnavailable_otherStatesAreNot() {
    // 55P03 lock_timeout, 57014 a cancelled statement, 25P03 idle_in_transaction_session_timeout
    for (String state : new String[] {"08001", "08006", "57P01", "57P02", "57P03", "55P03", "57014", "25P03"}) {
      assertThat(DatabaseUnavailable.causes(new SQLException("x", state))).as(state).isTrue();
    }
    // a unique violation, a serialization failure, a deadlock, an unknown table, a 55P0x that is not
    // a lock wait (55006 object in use), no state
    for (String state : new String[] {"23505", "40001", "40P01", "42P01", "55006", null}) {
      assertThat(DatabaseUnavailable.causes(new SQLException("x", state))).as(state).isFalse();
    }
  }

  @Test
  void theCauseChainIsSearched_andOtherFailuresAreNotTheDatabase() {
    RuntimeException wrapped =
        new IllegalStateException("event not stored", new RuntimeException(new SQLException("I/O error", "08006")));
    assertThat(DatabaseUnavailable.causes(wrapped)).isTrue();
    assertThat(DatabaseUnavailable.causes(new DataIntegrityViolationException("duplicate key"))).isFalse();
    // what Spring makes of a lock_timeout: the driver's SQLSTATE is on the cause
    assertThat(
            DatabaseUnavailable.causes(
                new CannotAcquireLockException(
                    "could not obtain lock", new SQLException("canceling statement due to lock timeout", "55P03"))))
        .isTrue();
    assertThat(DatabaseUnavailable.causes(new IllegalStateException("a bug"))).isFalse();
    assertThat(DatabaseUnavailable.causes(null)).isFalse();
  }
}
