package com.mandateregistry.ledger.format;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored ledger entry: the hashed fields of {@link UnsignedEntry} plus {@code event_hash} (hex
 * SHA-256 of {@link LedgerEntryCodec#encode(UnsignedEntry)}) and {@code kms_signature} (base64url
 * DER ECDSA signature over the same bytes). Field names on the wire are the snake_case forms, see
 * {@link LedgerJson}.
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
    String signingAlgorithm) {

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
  }

  /** The entry made of {@code unsigned}, its hash and its signature. */
  public static LedgerEntry of(UnsignedEntry unsigned, String eventHash, String kmsSignature) {
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
        unsigned.signingAlgorithm());
  }

  /** The hashed fields, without {@code event_hash} and {@code kms_signature}. */
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
