package com.mandateregistry.infra.axon;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;

/**
 * Tells Axon's storage engine that an insert failed on a unique key, so that two nodes writing the
 * same aggregate's next event is a {@code ConcurrencyException} (the API's 409) and not an event
 * store failure (a 500).
 *
 * <p>PostgreSQL's driver reports a unique violation as an {@link SQLException} with SQLSTATE {@code
 * 23505}, from a batch as a {@link BatchUpdateException} whose next exception carries it; it never
 * throws {@code SQLIntegrityConstraintViolationException}, the one class Axon's {@code
 * JdbcSQLErrorCodesResolver} looks for. This resolver looks for the SQLSTATE along the causes and
 * the next exceptions.
 */
public final class DuplicateKeyResolver implements PersistenceExceptionResolver {

  /** SQLSTATE unique_violation. */
  public static final String UNIQUE_VIOLATION = "23505";

  @Override
  public boolean isDuplicateKeyViolation(Exception exception) {
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException sql && uniqueViolation(sql)) {
        return true;
      }
    }
    return false;
  }

  private static boolean uniqueViolation(SQLException first) {
    int hops = 0;
    for (SQLException e = first; e != null && hops < 100; e = e.getNextException(), hops++) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
