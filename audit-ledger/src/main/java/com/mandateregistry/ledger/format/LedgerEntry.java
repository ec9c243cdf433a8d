package com.mandateregistry.ledger.format;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored ledger entry: the hashed fields of {@link UnsignedEntry} plus {@code event_hash} (hex
 * SHA-256 of {@link LedgerEntryCodec#encode(UnsignedEntry)}), {@code kms_signature} (base64url DER
 * ECDSA signature) and, for a batch-signed entry, {@code merkle_proof}. With {@code
 * signing_algorithm} {@value LedgerFormat#SIGNING_ALGORITHM} the signature covers the entry's own
 * encoding and there is no proof; with {@value LedgerFormat#SIGNING_ALGORITHM_MERKLE} it covers the
 * {@link LedgerFormat#batchStatement} of the entry's batch, and the proof leads from {@code
 * event_hash} to that batch's root. Field names on the wire are the snake_case forms, see {@link
 * LedgerJson}.
 */
public record LedgerEntry(
    long sequence,
    String eventId,
    String tenantId,
    String mandateId,
    String eventType,
    Instant timestamp,
    String actor,
    String details,
    String previousEventHash,
    String eventHash,
    String kmsSignature,
    String keyId,
    String hashAlgorithm,
    String signingAlgorithm,
    MerkleProof merkleProof) {

  public LedgerEntry {
    // validates the hashed fields
    new UnsignedEntry(
        sequence,
        eventId,
        tenantId,
        mandateId,
        eventType,
        timestamp,
        actor,
        details,
        previousEventHash,
        keyId,
        hashAlgorithm,
        signingAlgorithm);
    if (!LedgerFormat.isHash(eventHash)) {
      throw new IllegalArgumentException("eventHash is not 64 lowercase hex characters");
    }
    Objects.requireNonNull(kmsSignature, "kmsSignature");
    if (LedgerFormat.SIGNING_ALGORITHM_MERKLE.equals(signingAlgorithm) != (merkleProof != null)) {
      throw new IllegalArgumentException("an entry has a merkle_proof if and only if its signing_algorithm is "
          + LedgerFormat.SIGNING_ALGORITHM_MERKLE);
    }
  }

  /** The entry made of {@code unsigned}, its hash and its own signature (no proof). */
  public static LedgerEntry of(UnsignedEntry unsigned, String eventHash, String kmsSignature) {
    return of(unsigned, eventHash, kmsSignature, null);
  }

  /** The entry made of {@code unsigned}, its hash, its signature and its batch proof (or null). */
  public static LedgerEntry of(
      UnsignedEntry unsigned, String eventHash, String kmsSignature, MerkleProof merkleProof) {
    return new LedgerEntry(
        unsigned.sequence(),
        unsigned.eventId(),
        unsigned.tenantId(),
        unsigned.mandateId(),
        unsigned.eventType(),
        unsigned.timestamp(),
        unsigned.actor(),
        unsigned.details(),
        unsigned.previousEventHash(),
        eventHash,
        kmsSignature,
        unsigned.keyId(),
        unsigned.hashAlgorithm(),
        unsigned.signingAlgorithm(),
        merkleProof);
  }

  /** The hashed fields, without {@code event_hash}, {@code kms_signature} and {@code merkle_proof}. */
  public UnsignedEntry unsigned() {
    return new UnsignedEntry(
        sequence,
        eventId,
        tenantId,
        mandateId,
        eventType,
        timestamp,
        actor,
        details,
        previousEventHash,
        keyId,
        hashAlgorithm,
        signingAlgorithm);
  }
}
