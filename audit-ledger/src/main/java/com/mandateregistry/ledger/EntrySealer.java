package com.mandateregistry.ledger;

import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.MerkleProof;
import com.mandateregistry.ledger.format.MerkleTree;
import com.mandateregistry.ledger.format.UnsignedEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the next entry of a chain in two steps: {@link #prepare} places {@code pending} after
 * {@code head} and hashes its canonical encoding (cheap, and all a chain needs, since the next
 * entry links to this hash, not to the signature); then the entry is signed.
 *
 * <p>The service signs a whole batch at once ({@link #sealBatch}, format v2, {@value
 * LedgerFormat#SIGNING_ALGORITHM_MERKLE}): one signature over the root of the Merkle tree of the
 * batch's event hashes, and each entry carries its inclusion proof, so it can still be verified on
 * its own. {@link #seal(ChainHead, PendingEntry, Signer)} makes an entry signed on its own (format
 * v1, {@value LedgerFormat#SIGNING_ALGORITHM}), as the ledger wrote before batches; verifiers accept
 * both. Pure apart from the signer; no storage, no Spring.
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
   *     {@code keyId} and SHA-256 / ES256-MERKLE, to be signed with its batch
   * @throws IllegalArgumentException if {@code pending} belongs to another tenant than {@code head}
   */
  public static Prepared prepare(ChainHead head, PendingEntry pending, String keyId) {
    return prepare(head, pending, keyId, LedgerFormat.SIGNING_ALGORITHM_MERKLE);
  }

  private static Prepared prepare(
      ChainHead head, PendingEntry pending, String keyId, String signingAlgorithm) {
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
            signingAlgorithm);
    // PendingEntry holds actor and details in canonical form, so they are copied, not re-parsed
    byte[] encoded = LedgerEntryCodec.encodeCanonical(unsigned);
    return new Prepared(unsigned, encoded, LedgerFormat.hex(LedgerFormat.sha256(encoded)));
  }

  /**
   * A batch of prepared entries (of any tenants, in append order) with its Merkle tree: the
   * statement to sign once for all of them, and each entry's inclusion proof.
   */
  public record Batch(List<Prepared> entries, byte[] statement, List<MerkleProof> proofs) {

    /**
     * @throws IllegalArgumentException if the batch is empty or an entry is not prepared for a
     *     batch signature
     */
    public static Batch of(List<Prepared> entries) {
      List<byte[]> leaves = new ArrayList<>(entries.size());
      for (Prepared entry : entries) {
        if (!LedgerFormat.SIGNING_ALGORITHM_MERKLE.equals(entry.unsigned().signingAlgorithm())) {
          throw new IllegalArgumentException("entry " + entry.unsigned().eventId()
              + " is not prepared for a batch signature");
        }
        leaves.add(LedgerFormat.unhex(entry.eventHash()));
      }
      MerkleTree.Tree tree = MerkleTree.build(leaves);
      byte[] statement = LedgerFormat.batchStatement(leaves.size(), tree.root());
      List<MerkleProof> proofs = new ArrayList<>(leaves.size());
      for (int i = 0; i < leaves.size(); i++) {
        proofs.add(MerkleProof.of(i, leaves.size(), tree.paths().get(i)));
      }
      return new Batch(List.copyOf(entries), statement, List.copyOf(proofs));
    }
  }

  /**
   * Signs {@code prepared} (from {@link #prepare}) with one signature.
   *
   * @return the entries, in the same order, each with the batch signature and its proof
   * @throws SigningException if the signer fails, or returns a signature of another key or
   *     algorithm than the entries name
   */
  public static List<LedgerEntry> sealBatch(List<Prepared> prepared, Signer signer)
      throws SigningException {
    if (prepared.isEmpty()) {
      return List.of();
    }
    Batch batch = Batch.of(prepared);
    return sealBatch(batch, signer.sign(batch.statement()));
  }

  /**
   * The batch's entries with {@code signature}, which must be over {@link Batch#statement()}.
   *
   * @throws SigningException if the signature names another key or algorithm than the entries
   */
  public static List<LedgerEntry> sealBatch(Batch batch, KeyedSignature signature)
      throws SigningException {
    String text = LedgerFormat.base64Url(signature.der());
    List<LedgerEntry> sealed = new ArrayList<>(batch.entries().size());
    for (int i = 0; i < batch.entries().size(); i++) {
      Prepared entry = batch.entries().get(i);
      checkSignature(entry, signature);
      sealed.add(LedgerEntry.of(entry.unsigned(), entry.eventHash(), text, batch.proofs().get(i)));
    }
    return sealed;
  }

  /**
   * The entry at {@code head.sequence() + 1} signed on its own (format v1, {@value
   * LedgerFormat#SIGNING_ALGORITHM}: the signature covers the entry's encoding).
   *
   * @throws SigningException if the signer fails, or returns a signature of another key or
   *     algorithm
   * @throws IllegalArgumentException if {@code pending} belongs to another tenant than {@code head}
   */
  public static LedgerEntry seal(ChainHead head, PendingEntry pending, Signer signer)
      throws SigningException {
    Prepared prepared = prepare(head, pending, signer.keyId(), LedgerFormat.SIGNING_ALGORITHM);
    KeyedSignature signature = signer.sign(prepared.encoded());
    checkSignature(prepared, signature);
    return LedgerEntry.of(
        prepared.unsigned(), prepared.eventHash(), LedgerFormat.base64Url(signature.der()));
  }

  private static void checkSignature(Prepared prepared, KeyedSignature signature)
      throws SigningException {
    String keyId = prepared.unsigned().keyId();
    if (!keyId.equals(signature.keyId())) {
      throw new SigningException(
          "signer returned a signature by key " + signature.keyId() + ", expected " + keyId);
    }
    // the signer speaks JOSE: ES256 is its name for ECDSA P-256 / SHA-256 in either ledger scheme
    if (!LedgerFormat.SIGNING_ALGORITHM.equals(signature.algorithm())) {
      throw new SigningException("signer returned a " + signature.algorithm()
          + " signature, expected " + LedgerFormat.SIGNING_ALGORITHM);
    }
  }

  /** The head after {@code entry}. */
  public static ChainHead headAfter(LedgerEntry entry) {
    return new ChainHead(entry.tenantId(), entry.sequence(), entry.eventHash());
  }
}
