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
 * not the connection pool that writes and verifications need. The first Proof-of-Mandate for a
 * mandate the read model has not received yet waits here too ({@code MandateDetails}).
 */
@Component
public class ReadModelWait {

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

  /** How a wait for the read model ended. */
  public enum Outcome {
    /** The read model holds the mandate at the version or later. */
    HELD,
    /** It did not within {@code mandate-registry.reads.consistency-wait}. */
    TIMED_OUT,
    /** {@code mandate-registry.reads.max-waiting} requests were already waiting; this one did not. */
    TOO_MANY_WAITING
  }

  /**
   * Returns once the read model holds the token's mandate at its version or later.
   *
   * @throws ApiException 503 if it does not within the wait, or too many reads wait already
   */
  void awaitAtLeast(String tenantId, ConsistencyTokens.Token token) {
    switch (await(tenantId, token.mandateId(), token.version())) {
      case HELD -> { }
      case TOO_MANY_WAITING -> throw unavailable("too many reads are waiting for the mandate read"
          + " model to reach their " + ConsistencyTokens.HEADER + "; retry");
      case TIMED_OUT -> throw unavailable("the mandate read model has not yet reached the state of the "
          + ConsistencyTokens.HEADER + "; retry");
    }
  }

  /**
   * Waits until the read model holds {@code mandateId} of {@code tenantId} at {@code version} or
   * later (0: as created), within the wait and the limit on waiting requests above.
   */
  public Outcome await(String tenantId, String mandateId, long version) {
    if (holds(tenantId, mandateId, version)) {
      return Outcome.HELD; // the usual case: the read model is milliseconds behind
    }
    if (!waiting.tryAcquire()) {
      log.warn("mandate-registry.reads.max-waiting ({}) requests are already waiting for the mandate"
          + " read model; answered 503", maxWaiting);
      return Outcome.TOO_MANY_WAITING;
    }
    try {
      long deadline = System.nanoTime() + wait.toNanos();
      long pauseMillis = 1;
      while (!holds(tenantId, mandateId, version)) {
        if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
          log.warn("the mandate read model did not reach {} v{} within {}; answered 503",
              mandateId, version, wait);
          return Outcome.TIMED_OUT;
        }
        LockSupport.parkNanos(Duration.ofMillis(pauseMillis).toNanos());
        pauseMillis = Math.min(pauseMillis * 2, MAX_POLL_MILLIS);
      }
      return Outcome.HELD;
    } finally {
      waiting.release();
    }
  }

  /** How many requests of this node wait for the read model now. */
  public int waitingNow() {
    return maxWaiting - waiting.availablePermits();
  }

  private static ApiException unavailable(String message) {
    return new ApiException(503, "SERVICE_UNAVAILABLE", message, List.of());
  }

  private boolean holds(String tenantId, String mandateId, long version) {
    List<Long> versions =
        jdbc.queryForList(
            "SELECT version FROM mandate_view WHERE mandate_id = ? AND tenant_id = ?",
            Long.class,
            mandateId,
            tenantId);
    return !versions.isEmpty() && versions.get(0) >= version;
  }
}
