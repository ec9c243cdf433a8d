package com.mandateregistry.infra.config;

import com.mandateregistry.api.Settings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mandate-registry.database.*}: how long PostgreSQL lets a session of this service wait for a
 * lock, and hold a transaction open without working in it, and how long the service waits for
 * PostgreSQL to answer. All are set on every connection of the pool when it opens ({@link
 * DatabaseSessionSettings}); {@code 0} turns one off.
 *
 * @param lockTimeout longest wait of one statement for a lock (PostgreSQL's {@code lock_timeout}):
 *     a request queued behind a row that another transaction holds (a rate limit's usage row, a
 *     mandate's next event) gets 503 {@code SERVICE_UNAVAILABLE} after this long instead of waiting
 *     for as long as that transaction lasts
 * @param idleInTransactionTimeout longest time a session may hold a transaction open while it sends
 *     nothing (PostgreSQL's {@code idle_in_transaction_session_timeout}); PostgreSQL then ends the
 *     session, rolling the transaction back and freeing its locks. This bounds what a node that
 *     stalls or is cut off in the middle of a transaction holds up on every other node
 * @param socketTimeout longest wait for PostgreSQL to answer one statement (the driver's {@code
 *     socketTimeout}, in whole seconds): a server that stops answering without closing the
 *     connection (a host gone, a network cut) fails the statement, and the request answers 503,
 *     instead of holding its thread until TCP gives up, hours later. It must be longer than any
 *     statement runs, migrations included; TCP keep-alive is on as well, for idle connections
 * @param statementTimeout longest time PostgreSQL works on one statement of this service
 *     (PostgreSQL's {@code statement_timeout}, lock waits included): a statement that runs longer
 *     is cancelled, its transaction rolls back and its request answers 503, instead of holding its
 *     thread and connection for as long as the statement lasts. A fetch of a streamed result is a
 *     statement of its own. Migrations are not bounded by it (their sessions set it to 0), nor are
 *     the start's reads of the whole ledger table and the read model's reset (they lift it)
 */
@ConfigurationProperties("mandate-registry.database")
public record DatabaseProperties(
    @DefaultValue("5s") Duration lockTimeout,
    @DefaultValue("60s") Duration idleInTransactionTimeout,
    @DefaultValue("5m") Duration socketTimeout,
    @DefaultValue("30s") Duration statementTimeout) {

  /** PostgreSQL takes these in whole milliseconds up to {@code INT_MAX}. */
  static final Duration MAX = Duration.ofMillis(Integer.MAX_VALUE);

  public DatabaseProperties {
    within("mandate-registry.database.lock-timeout", lockTimeout);
    within("mandate-registry.database.idle-in-transaction-timeout", idleInTransactionTimeout);
    within("mandate-registry.database.socket-timeout", socketTimeout);
    within("mandate-registry.database.statement-timeout", statementTimeout);
  }

  /** The driver's {@code socketTimeout}: whole seconds, a fraction rounding up; 0 is off. */
  public int socketTimeoutSeconds() {
    long whole = socketTimeout.toSeconds();
    return Math.toIntExact(socketTimeout.minusSeconds(whole).isZero() ? whole : whole + 1);
  }

  private static void within(String name, Duration value) {
    Settings.notNegative(name, value);
    if (value.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(name + " must be at most " + MAX + ", got " + value);
    }
  }

  /**
   * The connection's startup {@code options} that set the three: {@code -c lock_timeout=5000 -c
   * idle_in_transaction_session_timeout=60000 -c statement_timeout=30000} (milliseconds; a
   * fraction of one rounds up, so that a positive timeout never becomes 0, which is off).
   */
  public String sessionOptions() {
    return "-c lock_timeout=" + millis(lockTimeout)
        + " -c idle_in_transaction_session_timeout=" + millis(idleInTransactionTimeout)
        + " -c statement_timeout=" + millis(statementTimeout);
  }

  /** The same three settings as statements, for a connection whose startup options cannot be set. */
  public String sessionStatements() {
    return "SET lock_timeout = " + millis(lockTimeout)
        + "; SET idle_in_transaction_session_timeout = " + millis(idleInTransactionTimeout)
        + "; SET statement_timeout = " + millis(statementTimeout) + ";";
  }

  private static long millis(Duration value) {
    long whole = value.toMillis();
    return value.minusMillis(whole).isZero() ? whole : whole + 1;
  }
}
