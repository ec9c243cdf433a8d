package com.mandateregistry.ledger;

import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Recomputes each tenant's chain from storage and compares it with the stored head; run it on
 * start and refuse to continue when it throws. Per tenant, in one REPEATABLE READ snapshot (so
 * that appends by other nodes meanwhile do not disturb it), every entry in sequence order must:
 * follow the previous one by one, link to the previous event_hash (genesis for 1), and hash to its
 * stored event_hash; the last (sequence, event_hash) must equal the {@code ledger_chain_head} row.
 * The last check is what notices a tail removed from storage.
 *
 * <p>Signatures are not checked here (that needs the published keys; the offline verifier does it).
 */
public class ChainHeadVerifier {

  private final LedgerRepository repository;
  private final TransactionTemplate snapshot;

  public ChainHeadVerifier(LedgerRepository repository, PlatformTransactionManager transactionManager) {
    this.repository = repository;
    this.snapshot = new TransactionTemplate(transactionManager);
    this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    this.snapshot.setReadOnly(true);
  }

  /**
   * Checks every tenant.
   *
   * @return the verified heads
   * @throws ChainHeadMismatchException at the first tenant whose chain is not intact
   */
  public List<ChainHead> verifyAll() {
    List<ChainHead> heads = new ArrayList<>();
    for (String tenantId : repository.tenantIds()) {
      heads.add(verifyTenant(tenantId));
    }
    return heads;
  }

  /**
   * Checks one tenant.
   *
   * @return the verified head
   * @throws ChainHeadMismatchException if the chain is not intact
   */
  public ChainHead verifyTenant(String tenantId) {
    return snapshot.execute(status -> recompute(tenantId));
  }

  private ChainHead recompute(String tenantId) {
    Optional<ChainHead> stored = repository.findHead(tenantId);
    Walk walk = new Walk(tenantId);
    try {
      repository.forEachEntry(tenantId, walk::accept);
    } catch (IllegalArgumentException e) {
      // a row that no longer maps to an entry (e.g. details that are not a JSON object)
      throw new ChainHeadMismatchException(tenantId, walk.sequence + 1,
          "an unreadable entry (" + e.getMessage() + ")", "a valid entry");
    }
    if (stored.isEmpty()) {
      if (walk.sequence == 0) {
        return ChainHead.empty(tenantId);
      }
      throw new ChainHeadMismatchException(tenantId, walk.sequence, walk.hash,
          "no entries (there is no ledger_chain_head row for this tenant)");
    }
    ChainHead head = stored.get();
    if (head.sequence() > walk.sequence) {
      throw new ChainHeadMismatchException(tenantId, head.sequence(),
          "no entry (stored chain ends at sequence " + walk.sequence + " with " + walk.hash + ")",
          head.eventHash());
    }
    if (head.sequence() < walk.sequence) {
      throw new ChainHeadMismatchException(tenantId, walk.sequence, walk.hash,
          "no entry (ledger_chain_head is at sequence " + head.sequence() + " with " + head.eventHash() + ")");
    }
    if (!head.eventHash().equals(walk.hash)) {
      throw new ChainHeadMismatchException(tenantId, head.sequence(), walk.hash, head.eventHash());
    }
    return head;
  }

  /** Running state of the recomputation. */
  private static final class Walk {
    final String tenantId;
    long sequence;
    String hash = LedgerFormat.GENESIS_HASH;

    Walk(String tenantId) {
      this.tenantId = tenantId;
    }

    void accept(LedgerEntry entry) {
      long expected = sequence + 1;
      if (entry.sequence() != expected) {
        throw new ChainHeadMismatchException(tenantId, expected,
            "sequence " + entry.sequence() + " (event " + entry.eventId() + ")",
            "sequence " + expected + " (entries missing from storage)");
      }
      if (!entry.previousEventHash().equals(hash)) {
        throw new ChainHeadMismatchException(tenantId, expected,
            "previous_event_hash " + entry.previousEventHash(),
            hash + (expected == 1 ? " (genesis)" : " (event_hash of sequence " + sequence + ")"));
      }
      String recomputed = LedgerEntryCodec.eventHash(entry.unsigned());
      if (!recomputed.equals(entry.eventHash())) {
        throw new ChainHeadMismatchException(tenantId, expected,
            recomputed + " (recomputed from the stored entry " + entry.eventId() + ")",
            entry.eventHash() + " (its stored event_hash)");
      }
      sequence = expected;
      hash = entry.eventHash();
    }
  }
}
