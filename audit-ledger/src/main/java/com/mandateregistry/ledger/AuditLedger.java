package com.mandateregistry.ledger;

import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends events to their tenants' hash chains, signs them and stores them, once each.
 *
 * <p>{@link #appendAll} signs first and stores second, so that a failing signer never touches a
 * transaction:
 *
 * <ol>
 *   <li>events whose id is already stored (one query for the batch) are returned as stored
 *       (redelivery adds nothing), or refused with {@link LedgerConflictException} if the stored
 *       entry holds other content;
 *   <li>for the others, in order: read the tenants' heads (one query, no lock), place each entry after its tenant's,
 *       naming the signer's key and SHA-256 / ES256-MERKLE, and hash its canonical encoding ({@link
 *       EntrySealer#prepare}); the next entry of that tenant links to this hash;
 *   <li>sign the new entries with one signature over the root of the Merkle tree of their hashes,
 *       and give each its inclusion proof ({@link EntrySealer#sealBatch}, ledger format v2). A
 *       {@link SigningException} here leaves storage and any surrounding transaction untouched, so
 *       the caller can simply retry;
 *   <li>in one transaction (joining the caller's, if any, at READ COMMITTED): lock the tenants'
 *       head rows ({@code SELECT … ORDER BY tenant_id FOR UPDATE}, creating missing ones at
 *       sequence 0 / genesis), so that appends for one tenant serialise across nodes without
 *       deadlocks; if every head is still the one the entries were built on, insert the entries and
 *       advance the heads one entry at a time (each as a JDBC batch); if another node appended
 *       meanwhile, start again on the new heads.
 * </ol>
 *
 * No lock is held while the signer works (a KMS round trip), and a batch of N entries costs one
 * signature (one KMS {@code Sign} call, whatever N) plus six statements: two reads, then one
 * transaction of two locking statements, one check and two batches.
 *
 * <p>Hashes are deterministic (the same events appended in the same order with the same key give
 * byte-identical hashes); signatures and proofs need not be (they depend on how events fall into
 * batches, and KMS randomises ECDSA; the local key follows RFC 6979).
 */
public class AuditLedger {

  private final LedgerRepository repository;
  private final TransactionTemplate transactions;
  private final Signer signer;
  private final LedgerKey signingKey;
  private final Clock clock;
  private volatile boolean keyPublished;

  /**
   * @param signingKey the public key of {@code signer}, published in {@code ledger_signing_key} on
   *     the first append; its key id must be the signer's
   * @throws IllegalArgumentException if {@code signingKey} is not the signer's key
   */
  public AuditLedger(
      LedgerRepository repository,
      PlatformTransactionManager transactionManager,
      Signer signer,
      LedgerKey signingKey,
      Clock clock) {
    this.repository = Objects.requireNonNull(repository, "repository");
    this.signer = Objects.requireNonNull(signer, "signer");
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (!signingKey.keyId().equals(signer.keyId())) {
      throw new IllegalArgumentException(
          "signing key " + signingKey.keyId() + " is not the signer's key " + signer.keyId());
    }
    this.transactions = new TransactionTemplate(transactionManager);
    this.transactions.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
  }

  /** The id of the key new entries are signed with. */
  public String keyId() {
    return signer.keyId();
  }

  /**
   * Appends {@code pending} to its tenant's chain, or returns the entry already stored for its
   * event id.
   *
   * @return the stored entry
   * @throws SigningException if the signer fails; nothing was stored, retry later
   * @throws LedgerConflictException if the event id is stored with other content
   */
  public LedgerEntry append(PendingEntry pending) throws SigningException {
    Objects.requireNonNull(pending, "pending");
    return appendAll(List.of(pending)).get(0);
  }

  /**
   * Appends {@code pendings}, in this order, each to its tenant's chain, in one transaction (joining
   * the caller's, if any); events already stored are returned as stored.
   *
   * <p>The chain positions and hashes are computed first, in order; then the new entries are
   * signed together, with one signature over their Merkle tree; then all are stored under the
   * tenants' head locks. If another node appended to one of the tenants
   * meanwhile, everything is rebuilt on the new heads and signed again.
   *
   * @return the stored entries, one per pending entry, in order
   * @throws SigningException if any signature fails; nothing was stored, retry later
   * @throws LedgerConflictException if an event id is stored with other content
   */
  public List<LedgerEntry> appendAll(List<PendingEntry> pendings) throws SigningException {
    Objects.requireNonNull(pendings, "pendings");
    if (pendings.isEmpty()) {
      return List.of();
    }
    publishSigningKey();
    while (true) {
      Map<String, LedgerEntry> known = new HashMap<>();
      Map<String, ChainHead> startHeads = new LinkedHashMap<>();
      Map<String, ChainHead> heads = new HashMap<>();
      List<EntrySealer.Prepared> prepared = new ArrayList<>();
      Map<String, EntrySealer.Prepared> byEvent = new HashMap<>();
      // one query for the events already stored and one for the heads, whatever the batch size
      Map<String, LedgerEntry> alreadyStored =
          repository.findByEventIds(pendings.stream().map(PendingEntry::eventId).toList());
      Map<String, ChainHead> storedHeads =
          repository.findHeads(
              pendings.stream()
                  .filter(p -> !alreadyStored.containsKey(p.eventId()))
                  .map(PendingEntry::tenantId)
                  .toList());
      for (PendingEntry pending : pendings) {
        if (known.containsKey(pending.eventId()) || byEvent.containsKey(pending.eventId())) {
          continue; // the same event twice in one call: stored once
        }
        LedgerEntry stored = alreadyStored.get(pending.eventId());
        if (stored != null) {
          known.put(pending.eventId(), alreadyStored(pending, stored));
          continue;
        }
        ChainHead head =
            heads.computeIfAbsent(pending.tenantId(), tenant -> {
              ChainHead h = storedHeads.getOrDefault(tenant, ChainHead.empty(tenant));
              startHeads.put(tenant, h);
              return h;
            });
        EntrySealer.Prepared entry = EntrySealer.prepare(head, pending, signer.keyId());
        heads.put(pending.tenantId(), entry.head());
        prepared.add(entry);
        byEvent.put(pending.eventId(), entry);
      }
      // one signature for the whole batch, over the root of the Merkle tree of its event hashes
      List<LedgerEntry> sealed = EntrySealer.sealBatch(prepared, signer);
      Map<String, LedgerEntry> stored =
          sealed.isEmpty() ? Map.of() : transactions.execute(status -> store(startHeads, sealed));
      if (stored == null) {
        continue; // another node appended to one of these chains meanwhile: build on the new heads
      }
      List<LedgerEntry> result = new ArrayList<>(pendings.size());
      for (PendingEntry pending : pendings) {
        LedgerEntry entry = known.containsKey(pending.eventId())
            ? known.get(pending.eventId())
            : stored.get(pending.eventId());
        if (!pending.isRecordedBy(entry)) {
          throw new LedgerConflictException("event " + pending.eventId()
              + " appears twice in one append with different content");
        }
        result.add(entry);
      }
      return result;
    }
  }

  /**
   * Stores {@code sealed} (in chain order) if every tenant's head is still where the entries were
   * built on; returns the entries by event id, or null when a head has moved.
   */
  private Map<String, LedgerEntry> store(Map<String, ChainHead> expected, List<LedgerEntry> sealed) {
    Instant now = clock.instant();
    List<String> emptyChains =
        expected.values().stream().filter(h -> h.sequence() == 0).map(ChainHead::tenantId).toList();
    Map<String, ChainHead> locked = repository.lockHeads(expected.keySet(), emptyChains, now);
    for (Map.Entry<String, ChainHead> start : expected.entrySet()) {
      if (!start.getValue().equals(locked.get(start.getKey()))) {
        return null;
      }
    }
    // another node may have stored one of these events between our check and our head read
    if (!repository.storedEventIds(sealed.stream().map(LedgerEntry::eventId).toList()).isEmpty()) {
      return null;
    }
    Map<String, ChainHead> heads = new HashMap<>(expected);
    Map<String, LedgerEntry> stored = new HashMap<>();
    List<LedgerRepository.HeadMove> moves = new ArrayList<>(sealed.size());
    for (LedgerEntry entry : sealed) {
      moves.add(new LedgerRepository.HeadMove(heads.get(entry.tenantId()), entry));
      heads.put(entry.tenantId(), EntrySealer.headAfter(entry));
      stored.put(entry.eventId(), entry);
    }
    repository.insertAll(sealed, now);
    repository.advanceHeads(moves, now);
    return stored;
  }

  /** Publishes the signer's public key in {@code ledger_signing_key} (idempotent). */
  public void publishSigningKey() {
    if (!keyPublished) {
      transactions.executeWithoutResult(status -> repository.registerKey(signingKey, clock.instant()));
      keyPublished = true;
    }
  }

  private static LedgerEntry alreadyStored(PendingEntry pending, LedgerEntry stored) {
    if (!pending.isRecordedBy(stored)) {
      throw new LedgerConflictException(
          "event " + pending.eventId() + " is already in the ledger (tenant " + stored.tenantId()
              + ", sequence " + stored.sequence() + ") with other content");
    }
    return stored;
  }
}
