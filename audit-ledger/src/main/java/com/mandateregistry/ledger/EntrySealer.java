package com.mandateregistry.ledger;

import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.UnsignedEntry;

/**
 * Builds the next entry of a chain in two steps: {@link #prepare} places {@code pending} after
 * {@code head} and hashes its canonical encoding (cheap, and all a chain needs, since the next
 * entry links to this hash, not to the signature); {@link #seal} adds the signature over the same
 * bytes. Signatures of a run of prepared entries are therefore independent of each other and can
 * be made in parallel. Pure apart from the signer; no storage, no Spring.
 */
public final class EntrySealer {

  private EntrySealer() {}

  /**
   * An entry with its place in the chain and its hash, waiting for its signature.
   *
   * @param encoded the bytes that are hashed and must be signed
   */
  public record Prepared(UnsignedEntry unsigned, byte[] encoded, String eventHash) {

    /** The head after this entry. */
    public ChainHead head() {
      return new ChainHead(unsigned.tenantId(), unsigned.sequence(), eventHash);
    }
  }

  /**
   * @return the entry at {@code head.sequence() + 1}, linked to {@code head.eventHash()}, naming
   *     {@code keyId} and SHA-256 / ES256
   * @throws IllegalArgumentException if {@code pending} belongs to another tenant than {@code head}
   */
  public static Prepared prepare(ChainHead head, PendingEntry pending, String keyId) {
    if (!head.tenantId().equals(pending.tenantId())) {
      throw new IllegalArgumentException(
          "entry of tenant " + pending.tenantId() + " cannot follow the head of " + head.tenantId());
    }
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
    return new Prepared(unsigned, encoded, LedgerFormat.hex(LedgerFormat.sha256(encoded)));
  }

  /**
   * The prepared entry with its signature.
   *
   * @throws SigningException if the signature names another key or algorithm than the entry
   */
  public static LedgerEntry seal(Prepared prepared, KeyedSignature signature) throws SigningException {
    String keyId = prepared.unsigned().keyId();
    if (!keyId.equals(signature.keyId())) {
      throw new SigningException(
          "signer returned a signature by key " + signature.keyId() + ", expected " + keyId);
    }
    if (!LedgerFormat.SIGNING_ALGORITHM.equals(signature.algorithm())) {
      throw new SigningException("signer returned a " + signature.algorithm()
          + " signature, expected " + LedgerFormat.SIGNING_ALGORITHM);
    }
    return LedgerEntry.of(
        prepared.unsigned(), prepared.eventHash(), LedgerFormat.base64Url(signature.der()));
  }

  /**
   * Prepares and signs in one go.
   *
   * @return the entry at {@code head.sequence() + 1}, linked to {@code head.eventHash()}
   * @throws SigningException if the signer fails, or returns a signature of another key or
   *     algorithm
   * @throws IllegalArgumentException if {@code pending} belongs to another tenant than {@code head}
   */
  public static LedgerEntry seal(ChainHead head, PendingEntry pending, Signer signer)
      throws SigningException {
    Prepared prepared = prepare(head, pending, signer.keyId());
    return seal(prepared, signer.sign(prepared.encoded()));
  }

  /** The head after {@code entry}. */
  public static ChainHead headAfter(LedgerEntry entry) {
    return new ChainHead(entry.tenantId(), entry.sequence(), entry.eventHash());
  }
}
