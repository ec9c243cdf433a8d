package com.mandateregistry.infra.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Tells a failure because PostgreSQL cannot be reached (down, restarting, refusing connections,
 * the pool out of connections for {@code spring.datasource.hikari.connection-timeout}) or did not
 * answer in time (a lock not free within {@code mandate-registry.database.lock-timeout}, a
 * statement cancelled, the session ended for idling in a transaction) from any other failure. The
 * API answers the first with 503 {@code SERVICE_UNAVAILABLE}, which a client may retry, instead of
 * 500: in each case the transaction was rolled back, so nothing of the request was stored.
 */
public final class DatabaseUnavailable {

  /** What a 503 for an unreachable database says. */
  public static final String MESSAGE = "the database is unavailable; retry shortly";

  private DatabaseUnavailable() {}

  /** Whether {@code failure} or any of its causes says the database cannot be reached. */
  public static boolean causes(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataAccessResourceFailureException
          || t instanceof CannotCreateTransactionException
          || t instanceof TransientDataAccessResourceException
          || t instanceof QueryTimeoutException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || (t instanceof SQLException sql && connectionState(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * SQLSTATE class 08 (connection exception), 57P01–57P03 (the server shutting down, crashed, or
   * not yet accepting connections), 55P03 (lock not available: {@code lock_timeout}), 57014 (query
   * cancelled: {@code statement_timeout} or a cancel request) and 25P03 (the session ended by
   * {@code idle_in_transaction_session_timeout}).
   */
  private static boolean connectionState(String state) {
    return state != null
        && (state.startsWith("08")
            || state.equals("57P01")
            || state.equals("57P02")
            || state.equals("57P03")
            || state.equals("55P03")
            || state.equals("57014")
            || state.equals("25P03"));
  }
}
