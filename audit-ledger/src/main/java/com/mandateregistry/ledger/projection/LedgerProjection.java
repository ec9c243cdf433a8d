package com.mandateregistry.ledger.projection;

import com.mandateregistry.api.TenantEvent;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.AuditLedger;
import com.mandateregistry.ledger.PendingEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every tenant event of the Kafka topic to its tenant's chain. Its processor ({@value
 * #PROCESSING_GROUP}) is a tracking processor on the topic with its token in PostgreSQL, so the
 * ledger sees each tenant's events in the order they were stored.
 *
 * <p>Batches: the processor hands over up to {@code batch-size} events in one unit of work; the
 * handler only collects them, and the whole batch is appended when the unit of work prepares to
 * commit, in the same transaction as the processor's token ({@link AuditLedger#appendAll}: one
 * transaction, one signature for the batch). Called outside a unit of work, it appends at once.
 *
 * <p>Nothing is dropped or skipped: while the signer is unavailable (KMS down) the ledger waits and
 * retries the same events, with a back-off from {@code initialBackoff} doubling up to {@code
 * maxBackoff}; the processor does not move past them, and the events behind them follow in order
 * once signing works again. Inside the processor's transaction it retries for {@code
 * retryInTransaction} at most (plus the attempt under way): a longer outage would hold that
 * transaction open, with its connection, its token's row lock and PostgreSQL's cleanup horizon,
 * for as long as KMS is down. Then the batch fails ({@link SignerUnavailableException}) and rolls
 * back, and Axon's processor releases its claim and retries the batch from the stored token after
 * its own back-off (1 s doubling to 60 s), outside any transaction; until an append works again,
 * each retried batch tries the signer once. Any other failure propagates the same way.
 * Redelivery (after a crash, or a replay) adds nothing: the ledger is idempotent by event id and
 * checks that the redelivered event is the stored one.
 */
@ProcessingGroup(LedgerProjection.PROCESSING_GROUP)
public class LedgerProjection {

  public static final String PROCESSING_GROUP = "audit-ledger";

  private static final Logger log = LoggerFactory.getLogger(LedgerProjection.class);
  private static final String BATCH = LedgerProjection.class.getName() + ".batch";

  private final AuditLedger ledger;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration retryInTransaction;
  private final Clock clock;
  private volatile Instant waitingForSignerSince;
  /** A batch gave up on the signer since its last success: the next ones try it once, not for long. */
  private volatile boolean gaveUp;

  /** How long a batch retries its signer inside the processor's transaction by default. */
  public static final Duration DEFAULT_RETRY_IN_TRANSACTION = Duration.ofSeconds(10);

  public LedgerProjection(AuditLedger ledger, Duration initialBackoff, Duration maxBackoff, Clock clock) {
    this(ledger, initialBackoff, maxBackoff, DEFAULT_RETRY_IN_TRANSACTION, clock);
  }

  /**
   * @param retryInTransaction longest a batch retries its signer inside the processor's
   *     transaction before it fails, to be retried by the processor outside any transaction
   */
  public LedgerProjection(
      AuditLedger ledger, Duration initialBackoff, Duration maxBackoff, Duration retryInTransaction, Clock clock) {
    this.ledger = ledger;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.retryInTransaction = retryInTransaction;
    this.clock = clock;
  }

  /**
   * Chains every event. One that is not a tenant's is one this node cannot chain, because it does
   * not know its type (written by a newer version during a rolling upgrade, or by a module this
   * node lacks; Axon then hands over its payload as an {@code UnknownSerializedType}). Skipping it
   * would leave a hole in a trail that no verifier can see, so its batch fails and is retried
   * instead: the ledger stops there, and {@code /actuator/health} says DEGRADED, until a node that
   * knows the type chains it. (One handler for every payload: with a second one for {@code Object}
   * beside one for {@code TenantEvent}, Axon picked the wrong one for tenant events.)
   */
  @EventHandler
  void on(Object payload, EventMessage<?> message) throws InterruptedException {
    if (!(payload instanceof TenantEvent)) {
      throw new IllegalStateException(
          "event " + message.getIdentifier() + " of type " + message.getPayloadType().getName()
              + " is not a tenant's event this node can chain; the ledger stops here rather than skip"
              + " it (run a version that knows the type)");
    }
    PendingEntry pending = LedgerEventMapper.toPending(message);
    if (!CurrentUnitOfWork.isStarted()) {
      appendWithRetry(List.of(pending), null);
      return;
    }
    UnitOfWork<?> unitOfWork = CurrentUnitOfWork.get().root();
    List<PendingEntry> batch =
        unitOfWork.getOrComputeResource(BATCH, key -> {
          List<PendingEntry> collected = new ArrayList<>();
          unitOfWork.onPrepareCommit(u -> flush(collected));
          return collected;
        });
    batch.add(pending);
  }

  private void flush(List<PendingEntry> batch) {
    try {
      appendWithRetry(batch, retryInTransaction);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the signer; the batch is retried", e);
    }
  }

  /**
   * Appends {@code batch}, retrying while the signer fails: for {@code limit} at most (then {@link
   * SignerUnavailableException}; once only after an earlier batch gave up, until an append works),
   * or without end when it is null.
   */
  private void appendWithRetry(List<PendingEntry> batch, Duration limit) throws InterruptedException {
    long wait = initialBackoff.toMillis();
    int failures = 0;
    long started = System.nanoTime();
    while (true) {
      try {
        ledger.appendAll(batch);
        waitingForSignerSince = null; // also after a wait that an interrupt ended
        gaveUp = false;
        if (failures > 0) {
          log.info("signer is back: appended {} events after {} failed attempts", batch.size(), failures);
        }
        return;
      } catch (SigningException e) {
        failures++;
        if (waitingForSignerSince == null) {
          waitingForSignerSince = clock.instant();
        }
        if (failures == 1 || Integer.bitCount(failures) == 1) {
          PendingEntry first = batch.get(0);
          log.warn(
              "cannot sign ledger entries ({} events from {} of tenant {}), attempt {}: {}; the"
                  + " ledger pauses and retries, nothing is skipped",
              batch.size(), first.eventId(), first.tenantId(), failures, e.getMessage());
        }
        long waited = (System.nanoTime() - started) / 1_000_000;
        if (limit != null && (gaveUp || waited + wait > limit.toMillis())) {
          // after one batch gave up, the processor's back-off paces the attempts: one per batch,
          // so that a long outage costs a short transaction per retry, not retryInTransaction
          gaveUp = true;
          throw new SignerUnavailableException(
              "the signer is still unavailable after " + failures + " attempts in " + waited + " ms; the batch of "
                  + batch.size() + " events rolls back and the processor retries it after its back-off,"
                  + " outside the transaction; nothing is skipped",
              e);
        }
        Thread.sleep(wait);
        wait = Math.min(wait * 2, maxBackoff.toMillis());
      }
    }
  }

  /**
   * When the ledger began waiting for its signer, while it waits (the events since then are not yet
   * in the trail); empty while it appends normally.
   */
  public Optional<Instant> waitingForSignerSince() {
    return Optional.ofNullable(waitingForSignerSince);
  }

  /**
   * A replay re-reads the topic from the start. The ledger is append-only and the same events map
   * to the same entries, so there is nothing to clear: each replayed event is checked against the
   * stored entry and adds nothing.
   */
  @ResetHandler
  void reset() {
    log.info("audit ledger replay: stored entries are kept; replayed events are checked against them");
  }
}
