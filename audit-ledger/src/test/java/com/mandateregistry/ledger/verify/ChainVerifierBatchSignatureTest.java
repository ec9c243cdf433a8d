package com.mandateregistry.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.EntrySealer;
import com.mandateregistry.ledger.PendingEntry;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.format.MerkleProof;
import com.mandateregistry.ledger.format.MerkleTree;
import com.mandateregistry.ledger.testsupport.TestSigner;
import com.mandateregistry.ledger.testsupport.Trails;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Batch-signed entries (format v2, ES256-MERKLE) in an export: a trail of tenant A whose first
 * three entries are signed on their own (v1, as written before batches) and whose others were
 * signed in batches shared with tenant B, one of them a batch of one. Each case changes one thing
 * and the verifier must name the entry and the kind of damage. The entry with sequence k is on
 * list index k of the export (line k + 1).
 */
class ChainVerifierBatchSignatureTest {

  private static final String A = "tnt_A";
  private static final String B = "tnt_B";

  private static TestSigner signer;
  private static TestSigner attacker;
  private static List<LedgerEntry> trailOfA;
  private static List<String> export;
  private static LedgerKeySet keys;

  @BeforeAll
  static void trail() {
    signer = TestSigner.generate();
    attacker = TestSigner.generate();
    keys = LedgerKeySet.of(List.of(signer.ledgerKey(Trails.T0.minusSeconds(60))));
    List<LedgerEntry> v1 = Trails.chain(A, 3, signer);
    int[] sizes = {5, 1, 8, 3, 13};
    List<List<PendingEntry>> batches = new ArrayList<>();
    int a = 3;
    int b = 0;
    for (int size : sizes) {
      List<PendingEntry> batch = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        // tenant B's events interleave with A's, so A's proofs hold B's hashes too
        batch.add(size > 1 && i % 3 == 1 ? Trails.event(B, b++) : Trails.event(A, a++));
      }
      batches.add(batch);
    }
    // the batch-signed part continues A's v1 chain
    List<LedgerEntry> signed = continueAfter(v1.get(2), batches);
    trailOfA = new ArrayList<>(v1);
    signed.stream().filter(e -> e.tenantId().equals(A)).forEach(trailOfA::add);
    export = Trails.exportLines(A, keys, trailOfA);
  }

  private static List<LedgerEntry> continueAfter(LedgerEntry last, List<List<PendingEntry>> batches) {
    java.util.Map<String, ChainHead> heads = new java.util.HashMap<>();
    heads.put(A, EntrySealer.headAfter(last));
    List<LedgerEntry> entries = new ArrayList<>();
    try {
      for (List<PendingEntry> batch : batches) {
        List<EntrySealer.Prepared> prepared = new ArrayList<>();
        for (PendingEntry pending : batch) {
          EntrySealer.Prepared p = EntrySealer.prepare(
              heads.getOrDefault(pending.tenantId(), ChainHead.empty(pending.tenantId())), pending, signer.keyId());
          heads.put(pending.tenantId(), p.head());
          prepared.add(p);
        }
        entries.addAll(EntrySealer.sealBatch(prepared, signer));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return entries;
  }

  @ParameterizedTest
  @EnumSource(ChainVerifier.Engine.class)
  void aTrailOfSingleAndBatchSignedEntries_isIntact(ChainVerifier.Engine engine) throws Exception {
    VerificationReport report = verify(export, engine);
    assertThat(report.intact()).as(report.failure().map(Failure::describe).orElse("")).isTrue();
    assertThat(report.entriesVerified()).isEqualTo(trailOfA.size());
    assertThat(trailOfA.subList(0, 3)).extracting(LedgerEntry::signingAlgorithm).containsOnly("ES256");
    assertThat(trailOfA.subList(3, trailOfA.size())).extracting(LedgerEntry::signingAlgorithm)
        .containsOnly("ES256-MERKLE");
    // the batch of one: a tree of one leaf, an empty path
    assertThat(trailOfA).extracting(LedgerEntry::merkleProof).contains(new MerkleProof(0, 1, List.of()));
  }

  @Test
  void aTrailOfManyBatches_isIntact_withFewerSignaturesThanEntries() throws Exception {
    List<List<PendingEntry>> batches = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      List<PendingEntry> batch = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        batch.add(Trails.event(i % 2 == 0 ? A : B, k * 25 + i));
      }
      batches.add(batch);
    }
    List<LedgerEntry> all = Trails.batches(batches, signer);
    List<LedgerEntry> ofA = all.stream().filter(e -> e.tenantId().equals(A)).toList();
    assertThat(ofA.stream().map(LedgerEntry::kmsSignature).distinct()).hasSize(40);
    VerificationReport report = verify(Trails.exportLines(A, keys, ofA), ChainVerifier.Engine.FAST);
    assertThat(report.intact()).isTrue();
    assertThat(report.entriesVerified()).isEqualTo(520);
  }

  @Test
  void aChangedPathElement_isABadSignature_evenAfterItsBatchSignatureWasVerifiedForAnotherEntry()
      throws Exception {
    int target = lastOfABatchSharedWithAnEarlierEntry();
    List<String> lines = edit(target, proof -> {
      ArrayNode path = (ArrayNode) proof.get("path");
      path.set(0, path.get(0).asText().startsWith("0") ? "1" + path.get(0).asText().substring(1)
          : "0" + path.get(0).asText().substring(1));
    });
    assertBroken(lines, FailureKind.BAD_SIGNATURE, target);
  }

  @Test
  void anotherLeafIndex_orTreeSize_isABadSignature() throws Exception {
    int target = lastOfABatchSharedWithAnEarlierEntry();
    long index = trailOfA.get(target - 1).merkleProof().leafIndex();
    assertBroken(edit(target, proof -> proof.put("leaf_index", index == 0 ? 1 : index - 1)),
        FailureKind.BAD_SIGNATURE, target);
    // a size that keeps the path's shape gives the same root, but the signed statement names the size
    long size = trailOfA.get(target - 1).merkleProof().treeSize();
    long sameShape = sameShapeSize(index, size);
    assertThat(sameShape).isNotEqualTo(size);
    assertBroken(edit(target, proof -> proof.put("tree_size", sameShape)), FailureKind.BAD_SIGNATURE, target);
    // a path one element short cannot belong to the tree
    assertBroken(edit(target, proof -> ((ArrayNode) proof.get("path")).remove(0)), FailureKind.BAD_SIGNATURE, target);
  }

  @Test
  void theProofOfAnotherEntryOfTheSameBatch_isABadSignature() throws Exception {
    int target = lastOfABatchSharedWithAnEarlierEntry();
    LedgerEntry earlier = trailOfA.get(target - 2);
    assertThat(earlier.kmsSignature()).isEqualTo(trailOfA.get(target - 1).kmsSignature());
    List<String> lines = edit(target, proof -> {
      proof.removeAll();
      proof.setAll(earlier.merkleProof().toObject());
    });
    assertBroken(lines, FailureKind.BAD_SIGNATURE, target);
  }

  @Test
  void aMissingProof_orAProofOnASingleSignedEntry_isMalformed() throws Exception {
    assertBroken(editEntry(export, 5, node -> node.remove("merkle_proof")), FailureKind.MALFORMED_ENTRY, 5);
    ObjectNode someProof = trailOfA.get(4).merkleProof().toObject();
    assertBroken(editEntry(export, 2, node -> node.set("merkle_proof", someProof)), FailureKind.MALFORMED_ENTRY, 2);
    assertBroken(editEntry(export, 5, node -> ((ObjectNode) node.get("merkle_proof")).put("extra", 1)),
        FailureKind.MALFORMED_ENTRY, 5);
  }

  @Test
  void relabellingABatchSignedEntryAsSingleSigned_changesItsHash() throws Exception {
    List<String> lines = editEntry(export, 5, node -> {
      node.remove("merkle_proof");
      node.put("signing_algorithm", "ES256");
    });
    assertBroken(lines, FailureKind.HASH_MISMATCH, 5);
  }

  @Test
  void aForgedBatch_signedByAnUntrustedKey_namingTheTrustedKey_isABadSignature() throws Exception {
    LedgerEntry last = trailOfA.get(trailOfA.size() - 1);
    PendingEntry forged = new PendingEntry("evt_forged", A, "mdt_x", "MANDATE_CREATED",
        last.timestamp().plusMillis(1), "{\"type\":\"api_key\",\"id\":\"key_forger\"}", "{}");
    // prepared naming the trusted key, signed with the attacker's
    EntrySealer.Prepared prepared = EntrySealer.prepare(EntrySealer.headAfter(last), forged, signer.keyId());
    EntrySealer.Batch batch = EntrySealer.Batch.of(List.of(prepared));
    byte[] der = attacker.sign(batch.statement()).der();
    LedgerEntry entry = LedgerEntry.of(prepared.unsigned(), prepared.eventHash(), LedgerFormat.base64Url(der),
        batch.proofs().get(0));
    List<String> lines = new ArrayList<>(export);
    lines.add(LedgerJson.toJsonLine(entry));
    assertBroken(lines, FailureKind.BAD_SIGNATURE, trailOfA.size() + 1);
  }

  @Test
  void theSignatureOfOneBatch_onAnEntryOfAnother_isABadSignature() throws Exception {
    int target = lastOfABatchSharedWithAnEarlierEntry();
    String otherBatchSignature = trailOfA.get(3).kmsSignature();
    assertThat(otherBatchSignature).isNotEqualTo(trailOfA.get(target - 1).kmsSignature());
    assertBroken(editEntry(export, target, node -> node.put("kms_signature", otherBatchSignature)),
        FailureKind.BAD_SIGNATURE, target);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The sequence of A's entry at leaf 6 of the batch of 13: its batch also holds A's entry just
   * before it (leaf 5), and its path has four elements.
   */
  private static int lastOfABatchSharedWithAnEarlierEntry() {
    for (int i = 3; i < trailOfA.size(); i++) {
      MerkleProof proof = trailOfA.get(i).merkleProof();
      if (proof.treeSize() == 13 && proof.leafIndex() == 6) {
        assertThat(trailOfA.get(i - 1).merkleProof().leafIndex()).isEqualTo(5);
        return i + 1;
      }
    }
    throw new IllegalStateException("no such entry in the trail");
  }

  /** Another tree size in which leaf {@code index} has the same path as in a tree of {@code size}. */
  private static long sameShapeSize(long index, long size) {
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      leaves.add(LedgerFormat.sha256(new byte[] {(byte) i}));
    }
    byte[] leaf = leaves.get((int) index);
    List<byte[]> path = MerkleTree.path((int) index, leaves.subList(0, (int) size));
    byte[] root = MerkleTree.root(leaves.subList(0, (int) size));
    for (long other = index + 1; other <= 64; other++) {
      if (other != size && java.util.Arrays.equals(MerkleTree.rootFromPath(leaf, index, other, path), root)) {
        return other;
      }
    }
    throw new IllegalStateException("no tree size with the same path shape");
  }

  private static List<String> edit(int sequence, Consumer<ObjectNode> changeProof) throws Exception {
    return editEntry(export, sequence, node -> changeProof.accept((ObjectNode) node.get("merkle_proof")));
  }

  private static List<String> editEntry(List<String> lines, int index, Consumer<ObjectNode> change) throws Exception {
    List<String> copy = new ArrayList<>(lines);
    ObjectNode node = (ObjectNode) LedgerJson.mapper().readTree(copy.get(index));
    change.accept(node);
    copy.set(index, LedgerJson.mapper().writeValueAsString(node));
    return copy;
  }

  private static VerificationReport verify(List<String> lines, ChainVerifier.Engine engine) throws Exception {
    return ChainVerifier.builder().engine(engine).threads(2).build()
        .verify(new BufferedReader(new StringReader(String.join("\n", lines))), null);
  }

  private static void assertBroken(List<String> lines, FailureKind kind, int sequence) throws Exception {
    for (ChainVerifier.Engine engine : ChainVerifier.Engine.values()) {
      VerificationReport report = verify(lines, engine);
      assertThat(report.intact()).as(engine + ": expected " + kind).isFalse();
      Failure failure = report.failure().orElseThrow();
      assertThat(failure.kind()).as(failure.describe()).isEqualTo(kind);
      assertThat(failure.sequence()).as(failure.describe()).isEqualTo((long) sequence);
      assertThat(failure.line()).as(failure.describe()).isEqualTo(sequence + 1L);
      assertThat(report.entriesVerified()).isEqualTo(sequence - 1L);
    }
  }
}
