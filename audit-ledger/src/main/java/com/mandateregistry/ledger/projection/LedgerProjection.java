package com.mandateregistry.ledger.projection;

import com.mandateregistry.api.TenantEvent;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.AuditLedger;
import com.mandateregistry.ledger.PendingEntry;
import java.time.Duration;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every tenant event of the Kafka topic to its tenant's chain. Its processor ({@value
 * #PROCESSING_GROUP}) is a tracking processor on the topic with its token in PostgreSQL, so the
 * ledger sees each tenant's events in the order they were stored.
 *
 * <p>Nothing is dropped or skipped: while the signer is unavailable (KMS down) the handler waits
 * and retries the same event, with a back-off from {@link #initialBackoff} doubling up to {@link
 * #maxBackoff}; the processor does not move past it, and the events behind it follow in order once
 * signing works again. Any other failure propagates, and Axon retries the event from the stored
 * token. Redelivery (after a crash, or a replay) adds nothing: the ledger is idempotent by event
 * id and checks that the redelivered event is the stored one.
 */
@ProcessingGroup(LedgerProjection.PROCESSING_GROUP)
public class LedgerProjection {

  public static final String PROCESSING_GROUP = "audit-ledger";

  private static final Logger log = LoggerFactory.getLogger(LedgerProjection.class);

  private final AuditLedger ledger;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  public LedgerProjection(AuditLedger ledger, Duration initialBackoff, Duration maxBackoff) {
    this.ledger = ledger;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  @EventHandler
  void on(TenantEvent event, EventMessage<?> message) throws InterruptedException {
    PendingEntry pending = LedgerEventMapper.toPending(message);
    long wait = initialBackoff.toMillis();
    int failures = 0;
    while (true) {
      try {
        ledger.append(pending);
        if (failures > 0) {
          log.info("signer is back: appended {} after {} failed attempts", pending.eventId(), failures);
        }
        return;
      } catch (SigningException e) {
        failures++;
        if (failures == 1 || Integer.bitCount(failures) == 1) {
          log.warn(
              "cannot sign ledger entry for event {} of tenant {} (attempt {}): {}; the ledger"
                  + " pauses and retries, nothing is skipped",
              pending.eventId(), pending.tenantId(), failures, e.getMessage());
        }
        Thread.sleep(wait);
        wait = Math.min(wait * 2, maxBackoff.toMillis());
      }
    }
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
