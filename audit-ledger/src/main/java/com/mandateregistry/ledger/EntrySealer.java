package com.mandateregistry.ledger;

import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.UnsignedEntry;

/**
 * Builds the next entry of a chain: places {@code pending} after {@code head}, hashes its canonical
 * encoding and signs the same bytes. Pure apart from the signer; no storage, no Spring.
 */
public final class EntrySealer {

  private EntrySealer() {}

  /**
   * @return the entry at {@code head.sequence() + 1}, linked to {@code head.eventHash()}
   * @throws SigningException if the signer fails, or returns a signature of another key or
   *     algorithm
   * @throws IllegalArgumentException if {@code pending} belongs to another tenant than {@code head}
   */
  public static LedgerEntry seal(ChainHead head, PendingEntry pending, Signer signer)
      throws SigningException {
    if (!head.tenantId().equals(pending.tenantId())) {
      throw new IllegalArgumentException(
          "entry of tenant " + pending.tenantId() + " cannot follow the head of " + head.tenantId());
    }
    String keyId = signer.keyId();
    UnsignedEntry unsigned =
        new UnsignedEntry(
            head.sequence() + 1,
            pending.eventId(),
            pending.tenantId(),
            pending.mandateId(),
            pending.eventType(),
            pending.timestamp(),
            pending.actor(),
            pending.details(),
            head.eventHash(),
            keyId,
            LedgerFormat.HASH_ALGORITHM,
            LedgerFormat.SIGNING_ALGORITHM);
    byte[] encoded = LedgerEntryCodec.encode(unsigned);
    String eventHash = LedgerFormat.hex(LedgerFormat.sha256(encoded));
    KeyedSignature signature = signer.sign(encoded);
    if (!keyId.equals(signature.keyId())) {
      throw new SigningException(
          "signer returned a signature by key " + signature.keyId() + ", expected " + keyId);
    }
    if (!LedgerFormat.SIGNING_ALGORITHM.equals(signature.algorithm())) {
      throw new SigningException("signer returned a " + signature.algorithm()
          + " signature, expected " + LedgerFormat.SIGNING_ALGORITHM);
    }
    return LedgerEntry.of(unsigned, eventHash, LedgerFormat.base64Url(signature.der()));
  }

  /** The head after {@code entry}. */
  public static ChainHead headAfter(LedgerEntry entry) {
    return new ChainHead(entry.tenantId(), entry.sequence(), entry.eventHash());
  }
}
