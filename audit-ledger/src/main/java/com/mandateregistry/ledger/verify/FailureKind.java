package com.mandateregistry.ledger.verify;

/** What is wrong with the first broken entry of a trail. */
public enum FailureKind {
  /** The line is not a v1 entry: not JSON, a member missing or of the wrong type, an unknown member. */
  MALFORMED_ENTRY("malformed entry"),
  /** The entry names a hash or signing algorithm other than SHA-256 / ES256. */
  UNSUPPORTED_ALGORITHM("unsupported algorithm"),
  /** The entry belongs to another tenant than the trail. */
  TENANT_MISMATCH("tenant mismatch"),
  /** A sequence number is skipped (the entry with the expected number is nowhere in the trail). */
  GAP_IN_SEQUENCE("gap in sequence"),
  /** The entry's sequence number repeats the one before. */
  DUPLICATE_SEQUENCE("duplicate sequence"),
  /** The entries are not in ascending order (the expected sequence number comes later, or earlier). */
  OUT_OF_ORDER("out of order"),
  /** previous_event_hash is not the event_hash of the entry before (or the genesis value). */
  BROKEN_LINK("broken link"),
  /** event_hash is not the SHA-256 of the entry's canonical encoding. */
  HASH_MISMATCH("hash mismatch"),
  /** key_id names no key of the trusted key set. */
  UNKNOWN_KEY("unknown key"),
  /** The named key was retired (JWK exp) before the event happened. */
  KEY_RETIRED("key retired"),
  /**
   * kms_signature is not a valid ES256 signature of the named key over the entry (ES256), or over
   * the batch statement its merkle_proof leads to, or that proof leads nowhere (ES256-MERKLE).
   */
  BAD_SIGNATURE("bad signature"),
  /** The trail has another number of entries than --expect-count says (a truncated tail, say). */
  UNEXPECTED_COUNT("unexpected entry count"),
  /** The trail's last event_hash is not the one --expect-head names (a truncated tail, say). */
  UNEXPECTED_HEAD("unexpected head");

  private final String label;

  FailureKind(String label) {
    this.label = label;
  }

  /** Lower-case words, as printed: "hash mismatch", "broken link", … */
  public String label() {
    return label;
  }
}
