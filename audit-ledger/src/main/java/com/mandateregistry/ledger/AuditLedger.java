package com.mandateregistry.ledger;

import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerKey;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends events to their tenant's hash chain, signs them and stores them, once each.
 *
 * <p>{@link #append} signs first and stores second, so that a failing signer never touches a
 * transaction:
 *
 * <ol>
 *   <li>if the event id is already stored, return that entry (redelivery adds nothing), or throw
 *       {@link LedgerConflictException} if it holds other content;
 *   <li>read the tenant's head (no lock) and build the entry at head + 1, linked to the head's
 *       hash, naming the signer's key and SHA-256 / ES256; hash its canonical encoding and sign
 *       the same bytes ({@link EntrySealer}). A {@link SigningException} here leaves storage and
 *       any surrounding transaction untouched, so the caller can simply retry;
 *   <li>in one transaction (joining the caller's, if any, at READ COMMITTED): lock the head row
 *       ({@code SELECT … FOR UPDATE}, creating it at sequence 0 / genesis if missing) so that
 *       appends for one tenant serialise across nodes; if the head is still the one the entry was
 *       built on, insert the entry and advance the head; if another node appended meanwhile, build
 *       and sign again on the new head.
 * </ol>
 *
 * No lock is held while the signer works (a KMS round trip), so one tenant's appends by several
 * nodes only collide, and re-sign, when they really race; different tenants never wait for each
 * other.
 *
 * <p>Hashes are deterministic (the same events appended in the same order with the same key give
 * byte-identical hashes); ECDSA signatures are randomised and differ between runs.
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
    publishSigningKey();
    while (true) {
      Optional<LedgerEntry> known = repository.findByEventId(pending.eventId());
      if (known.isPresent()) {
        return alreadyStored(pending, known.get());
      }
      ChainHead head =
          repository.findHead(pending.tenantId()).orElse(ChainHead.empty(pending.tenantId()));
      LedgerEntry sealed = EntrySealer.seal(head, pending, signer);
      LedgerEntry stored = transactions.execute(status -> store(head, pending, sealed));
      if (stored != null) {
        return stored;
      }
      // another node appended to this tenant's chain meanwhile: build on the new head
    }
  }

  /** Publishes the signer's public key in {@code ledger_signing_key} (idempotent). */
  public void publishSigningKey() {
    if (!keyPublished) {
      transactions.executeWithoutResult(status -> repository.registerKey(signingKey, clock.instant()));
      keyPublished = true;
    }
  }

  /**
   * Stores {@code sealed} if the head is still {@code expected}; returns the stored entry, the
   * entry already stored for the event, or null when the head has moved.
   */
  private LedgerEntry store(ChainHead expected, PendingEntry pending, LedgerEntry sealed) {
    ChainHead head = repository.lockHead(pending.tenantId(), clock.instant());
    Optional<LedgerEntry> known = repository.findByEventId(pending.eventId());
    if (known.isPresent()) {
      return alreadyStored(pending, known.get());
    }
    if (!head.equals(expected)) {
      return null;
    }
    repository.insert(sealed, clock.instant());
    repository.advanceHead(head, sealed, clock.instant());
    return sealed;
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
