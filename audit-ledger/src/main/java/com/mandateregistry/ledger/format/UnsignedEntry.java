package com.mandateregistry.ledger.format;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The twelve fields of a ledger entry that {@code event_hash} covers and {@code kms_signature}
 * signs: everything except those two. {@link LedgerEntryCodec} turns it into the hashed bytes.
 *
 * @param sequence position in the tenant chain, starting at 1
 * @param eventId the event's id (unique across the ledger)
 * @param tenantId the tenant whose chain holds the entry
 * @param mandateId the mandate the event concerns, or {@code null}
 * @param eventType upper-case event type, for example {@code MANDATE_CREATED}
 * @param timestamp when the event happened, with millisecond precision
 * @param actor RFC 8785 canonical JSON text of a JSON object
 * @param details RFC 8785 canonical JSON text of a JSON object
 * @param previousEventHash {@code event_hash} of the entry before, or {@link
 *     LedgerFormat#GENESIS_HASH} for sequence 1
 * @param keyId id of the signing key (RFC 7638 thumbprint of its public JWK)
 * @param hashAlgorithm {@link LedgerFormat#HASH_ALGORITHM}
 * @param signingAlgorithm {@link LedgerFormat#SIGNING_ALGORITHM}
 */
public record UnsignedEntry(
    long sequence,
    String eventId,
    String tenantId,
    String mandateId,
    String eventType,
    Instant timestamp,
    String actor,
    String details,
    String previousEventHash,
    String keyId,
    String hashAlgorithm,
    String signingAlgorithm) {

  /** Upper-case letters, digits and underscores, starting with a letter. */
  public static final Pattern EVENT_TYPE = Pattern.compile("[A-Z][A-Z0-9_]*");

  public UnsignedEntry {
    if (sequence < 1) {
      throw new IllegalArgumentException("sequence starts at 1: " + sequence);
    }
    requireText(eventId, "eventId");
    requireText(tenantId, "tenantId");
    if (mandateId != null && mandateId.isEmpty()) {
      throw new IllegalArgumentException("mandateId is null or non-empty");
    }
    if (eventType == null || !EVENT_TYPE.matcher(eventType).matches()) {
      throw new IllegalArgumentException("eventType must match [A-Z][A-Z0-9_]*: " + eventType);
    }
    LedgerFormat.formatTimestamp(Objects.requireNonNull(timestamp, "timestamp"));
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(details, "details");
    if (!LedgerFormat.isHash(previousEventHash)) {
      throw new IllegalArgumentException("previousEventHash is not 64 lowercase hex characters");
    }
    if (sequence == 1 && !LedgerFormat.GENESIS_HASH.equals(previousEventHash)) {
      throw new IllegalArgumentException("sequence 1 links to the genesis hash");
    }
    requireText(keyId, "keyId");
    requireText(hashAlgorithm, "hashAlgorithm");
    requireText(signingAlgorithm, "signingAlgorithm");
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }
}
