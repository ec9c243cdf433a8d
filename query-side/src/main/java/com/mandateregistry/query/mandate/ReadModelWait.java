package com.mandateregistry.query.mandate;

import com.mandateregistry.api.Settings;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.ConsistencyTokens;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Read-your-writes for the mandate reads: a read that sends back a write's {@value
 * ConsistencyTokens#HEADER} is answered only once the read model holds that write's mandate at the
 * write's version or later. It polls the read model's row (after 1 ms, then doubling, at most every
 * {@value #MAX_POLL_MILLIS} ms) for up to {@code mandate-registry.reads.consistency-wait}, and
 * answers 503 if the read model has not caught up by then (its consumer stopped, or Kafka
 * unreachable); the read is then not served from older state.
 *
 * <p>Each waiting read holds an HTTP thread and polls PostgreSQL, so at most {@code
 * mandate-registry.reads.max-waiting} reads of a node wait at once; one more is a 503 at once. A
 * stalled read model thus costs at most that many threads and about 20 queries a second for each,
 * not the connection pool that writes and verifications need.
 */
@Component
class ReadModelWait {

  private static final Logger log = LoggerFactory.getLogger(ReadModelWait.class);

  /** The longest pause between two reads of the row. */
  static final long MAX_POLL_MILLIS = 50;

  private final JdbcTemplate jdbc;
  private final Duration wait;
  private final int maxWaiting;
  private final Semaphore waiting;

  ReadModelWait(
      JdbcTemplate jdbc,
      @Value("${mandate-registry.reads.consistency-wait:2s}") Duration wait,
      @Value("${mandate-registry.reads.max-waiting:32}") int maxWaiting) {
    this.jdbc = jdbc;
    this.wait = Settings.positive("mandate-registry.reads.consistency-wait", wait);
    this.maxWaiting = Settings.atLeast("mandate-registry.reads.max-waiting", maxWaiting, 1);
    this.waiting = new Semaphore(this.maxWaiting);
  }

  /**
   * Returns once the read model holds the token's mandate at its version or later.
   *
   * @throws ApiException 503 if it does not within the wait
   */
  void awaitAtLeast(String tenantId, ConsistencyTokens.Token token) {
    if (holds(tenantId, token)) {
      return; // the usual case: the read model is milliseconds behind, and the client was slower
    }
    if (!waiting.tryAcquire()) {
      log.warn("mandate-registry.reads.max-waiting ({}) reads are already waiting for the mandate"
          + " read model; answered 503", maxWaiting);
      throw unavailable("too many reads are waiting for the mandate read model to reach their "
          + ConsistencyTokens.HEADER + "; retry");
    }
    try {
      awaitHeld(tenantId, token);
    } finally {
      waiting.release();
    }
  }

  private void awaitHeld(String tenantId, ConsistencyTokens.Token token) {
    long deadline = System.nanoTime() + wait.toNanos();
    long pauseMillis = 1;
    while (!holds(tenantId, token)) {
      if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
        log.warn("the mandate read model did not reach {} v{} within {}; answered 503",
            token.mandateId(), token.version(), wait);
        throw unavailable("the mandate read model has not yet reached the state of the "
            + ConsistencyTokens.HEADER + "; retry");
      }
      LockSupport.parkNanos(Duration.ofMillis(pauseMillis).toNanos());
      pauseMillis = Math.min(pauseMillis * 2, MAX_POLL_MILLIS);
    }
  }

  private static ApiException unavailable(String message) {
    return new ApiException(503, "SERVICE_UNAVAILABLE", message, List.of());
  }

  private boolean holds(String tenantId, ConsistencyTokens.Token token) {
    List<Long> versions =
        jdbc.queryForList(
            "SELECT version FROM mandate_view WHERE mandate_id = ? AND tenant_id = ?",
            Long.class,
            token.mandateId(),
            tenantId);
    return !versions.isEmpty() && versions.get(0) >= token.version();
  }
}
