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
 * <p>{@link #append} runs in one transaction (joining the caller's, if any, at READ COMMITTED):
 *
 * <ol>
 *   <li>lock the tenant's {@code ledger_chain_head} row ({@code SELECT … FOR UPDATE}), creating it
 *       at sequence 0 / genesis if missing, so that appends for one tenant serialise across nodes;
 *   <li>if the event id is already stored, return that entry (redelivery adds nothing), or throw
 *       {@link LedgerConflictException} if it holds other content;
 *   <li>build the entry at head + 1, linked to the head's hash, naming the signer's key and
 *       SHA-256 / ES256; hash its canonical encoding and sign the same bytes ({@link
 *       EntrySealer});
 *   <li>insert it and advance the head.
 * </ol>
 *
 * If the signer fails, {@link #append} throws that {@link SigningException} and the transaction
 * rolls back: nothing is stored, the head stays, and the caller (the event processor) retries the
 * event later. Signing happens while the tenant's head is locked, so one tenant's appends are as
 * fast as one signature round trip; different tenants append in parallel.
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
    Optional<LedgerEntry> known = repository.findByEventId(pending.eventId());
    if (known.isPresent()) {
      return alreadyStored(pending, known.get());
    }
    publishSigningKey();
    try {
      return transactions.execute(status -> appendLocked(pending));
    } catch (SigningFailed e) {
      throw e.getCause();
    }
  }

  /** Publishes the signer's public key in {@code ledger_signing_key} (idempotent). */
  public void publishSigningKey() {
    if (!keyPublished) {
      transactions.executeWithoutResult(status -> repository.registerKey(signingKey, clock.instant()));
      keyPublished = true;
    }
  }

  private LedgerEntry appendLocked(PendingEntry pending) {
    ChainHead head = repository.lockHead(pending.tenantId(), clock.instant());
    Optional<LedgerEntry> known = repository.findByEventId(pending.eventId());
    if (known.isPresent()) {
      return alreadyStored(pending, known.get());
    }
    LedgerEntry entry;
    try {
      entry = EntrySealer.seal(head, pending, signer);
    } catch (SigningException e) {
      throw new SigningFailed(e);
    }
    repository.insert(entry, clock.instant());
    repository.advanceHead(head, entry, clock.instant());
    return entry;
  }

  private static LedgerEntry alreadyStored(PendingEntry pending, LedgerEntry stored) {
    if (!pending.isRecordedBy(stored)) {
      throw new LedgerConflictException(
          "event " + pending.eventId() + " is already in the ledger (tenant " + stored.tenantId()
              + ", sequence " + stored.sequence() + ") with other content");
    }
    return stored;
  }

  /** Carries a checked {@link SigningException} out of the transaction callback, rolling it back. */
  private static final class SigningFailed extends RuntimeException {
    SigningFailed(SigningException cause) {
      super(cause);
    }

    @Override
    public synchronized SigningException getCause() {
      return (SigningException) super.getCause();
    }
  }
}
