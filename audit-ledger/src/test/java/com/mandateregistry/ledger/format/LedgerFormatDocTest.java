package com.mandateregistry.ledger.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.ledger.EntrySealer;
import com.mandateregistry.ledger.verify.ChainVerifier;
import com.mandateregistry.ledger.verify.FailureKind;
import com.mandateregistry.ledger.verify.VerificationReport;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/ledger-format.md must say what the code does: the canonical JSON, hashes, signatures, key id,
 * event id and files quoted in its worked example are recomputed here from {@link WorkedExample}
 * with the production codec, and the constants and names it lists are those of the code. When this
 * fails after a deliberate format change, run {@code WorkedExample} and redo section 12 of the doc.
 * The tests named {@code batch…} do the same for section 13, the batch-signed continuation (leaf
 * hashes, root, statement, signature and proofs, with {@link MerkleTree}, {@link
 * LedgerFormat#batchStatement} and {@link EntrySealer}).
 */
class LedgerFormatDocTest {

  private static final Path DOC = Path.of("../docs/ledger-format.md");

  private static String doc;
  /** Section 12 only (entries signed on their own). */
  private static String example;
  /** Section 13 only (the batch-signed continuation). */
  private static String batchExample;
  private static List<LedgerEntry> entries;
  /** The batch of section 13, in append order: entry 3, the other tenant's entry 1, entry 4. */
  private static List<LedgerEntry> batch;

  @BeforeAll
  static void read() throws IOException {
    doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int start = doc.indexOf("## 12. Worked example");
    assertThat(start).as("section 12 of %s", DOC).isNotNegative();
    int batchStart = doc.indexOf("## 13. Worked example: a batch-signed entry");
    assertThat(batchStart).as("section 13 of %s", DOC).isGreaterThan(start);
    example = doc.substring(start, batchStart);
    batchExample = doc.substring(batchStart);
    entries = WorkedExample.entries();
    batch = WorkedExample.batchEntries();
  }

  @Test
  void theQuotedCanonicalJson_isWhatTheCodecWrites() {
    Map<Integer, String> quoted = groups("^\\$ printf '%s' '(\\{.*\\})' >> entry(\\d)\\.bin$", 2, 1);
    assertThat(quoted).containsOnlyKeys(1, 2);
    for (int n = 1; n <= 2; n++) {
      assertThat(quoted.get(n)).as("JCS of entry %d", n)
          .isEqualTo(LedgerEntryCodec.canonicalJson(entries.get(n - 1).unsigned()));
    }
  }

  @Test
  void theQuotedHashes_areTheEventHashesTheCodeComputes() {
    Map<Integer, String> quoted = groups("^\\$ sha256sum entry(\\d)\\.bin\\n([0-9a-f]{64})  entry\\d\\.bin$", 1, 2);
    assertThat(quoted).containsOnlyKeys(1, 2);
    Map<Integer, String> jcs = groups("^\\$ printf '%s' '(\\{.*\\})' >> entry(\\d)\\.bin$", 2, 1);
    for (int n = 1; n <= 2; n++) {
      UnsignedEntry unsigned = entries.get(n - 1).unsigned();
      assertThat(quoted.get(n)).as("event_hash of entry %d", n)
          .isEqualTo(LedgerEntryCodec.eventHash(unsigned))
          .isEqualTo(entries.get(n - 1).eventHash())
          // and it is the hash of the bytes the doc's own commands build
          .isEqualTo(LedgerFormat.hex(LedgerFormat.sha256(docBytes(jcs.get(n)))));
    }
    assertThat(entries.get(1).previousEventHash()).isEqualTo(quoted.get(1));
    Matcher size = Pattern.compile("^\\$ wc -c < entry1\\.bin\\n(\\d+)$", Pattern.MULTILINE).matcher(example);
    assertThat(size.find()).isTrue();
    assertThat(Integer.parseInt(size.group(1))).isEqualTo(LedgerEntryCodec.encode(entries.get(0).unsigned()).length);
  }

  @Test
  void theQuotedSignatures_areTheEntriesSignatures_andVerifyWithTheQuotedKey() throws Exception {
    List<String> signatures = all("^\\$ sig='([A-Za-z0-9_-]+)'$");
    assertThat(signatures).hasSize(2);
    Map<Integer, String> jcs = groups("^\\$ printf '%s' '(\\{.*\\})' >> entry(\\d)\\.bin$", 2, 1);
    PublicKey key = publicKey(heredoc("pub.pem"));
    for (int n = 1; n <= 2; n++) {
      String signature = signatures.get(n - 1);
      assertThat(signature).isEqualTo(entries.get(n - 1).kmsSignature());
      Signature jca = Signature.getInstance("SHA256withECDSA");
      jca.initVerify(key);
      jca.update(docBytes(jcs.get(n)));
      assertThat(jca.verify(LedgerFormat.unbase64Url(signature))).as("signature %d", n).isTrue();
    }
  }

  @Test
  void theQuotedFiles_areTheExampleAndTheTestResources() throws Exception {
    String trail = String.join("\n", WorkedExample.trailLines());
    assertThat(heredoc("trail.jsonl")).isEqualTo(trail);
    assertThat(resource("/ledger/worked-example.jsonl").strip()).isEqualTo(trail);
    assertThat(heredoc("pub.pem") + "\n").isEqualTo(WorkedExample.publicKeyPem())
        .isEqualTo(resource("/ledger/worked-example-pub.pem"));
    LedgerKeySet keys = LedgerKeySet.of(List.of(WorkedExample.key()));
    assertThat(heredoc("keys.json")).isEqualTo(keys.toJwkSet().toString());

    VerificationReport report = ChainVerifier.builder()
        .expectCount(2L)
        .expectHead(entries.get(1).eventHash())
        .build()
        .verify(new BufferedReader(new StringReader(heredoc("trail.jsonl"))), LedgerKeySet.parse(heredoc("keys.json")));
    assertThat(report.intact()).as(report.failure().map(Object::toString).orElse("")).isTrue();
  }

  @Test
  void theQuotedKeyIdAndEventId_areWhatTheCodeDerives() {
    List<String> kid = all("basenc --base64url \\| tr -d '='\\n([A-Za-z0-9_-]{43})$");
    assertThat(kid).containsExactly(WorkedExample.key().keyId());
    assertThat(entries).extracting(LedgerEntry::keyId).containsOnly(WorkedExample.key().keyId());

    List<String> eventIds = all("^(evt_[0-9A-HJKMNP-TV-Z]{26})$");
    assertThat(eventIds).containsExactly(entries.get(0).eventId());
    assertThat(entries.get(0).eventId())
        .isEqualTo(WorkedExample.eventId(WorkedExample.MESSAGE_ID_1, WorkedExample.TIME_1));
    assertThat(example).contains("| `" + WorkedExample.MESSAGE_ID_1 + "` | `" + WorkedExample.MESSAGE_ID_2 + "` |")
        .contains("| `" + entries.get(0).eventId() + "` | `" + entries.get(1).eventId() + "` |");
  }

  @Test
  void theConstantsAndNames_areThoseOfTheCode() {
    assertThat(doc).contains("\"" + LedgerFormat.ENTRY_DOMAIN + "\"")
        .contains("`" + LedgerFormat.GENESIS_HASH + "`")
        .contains("`" + LedgerFormat.EXPORT_FORMAT + "`")
        .contains("`\"" + LedgerFormat.HASH_ALGORITHM + "\"`")
        .contains("`\"" + LedgerFormat.SIGNING_ALGORITHM + "\"`");
    assertThat(LedgerFormat.ENTRY_DOMAIN.length()).isEqualTo(32);
    for (String member : LedgerJson.FIELDS) {
      assertThat(doc).as("section 1 lists %s", member).contains("| `" + member + "` |");
    }
    for (FailureKind kind : FailureKind.values()) {
      assertThat(doc).as("section 9 lists %s", kind)
          .containsPattern("`" + kind.name() + "` \\(" + Pattern.quote(kind.label()) + "\\)");
    }
  }

  // --- section 13: the batch-signed continuation ---

  @Test
  void batch_theQuotedLines_areTheExportLinesTheCodeWrites_andTheTrailVerifies() throws Exception {
    String lines = heredoc(batchExample, "batch.jsonl");
    assertThat(lines).isEqualTo(String.join("\n", WorkedExample.batchLines()));
    List<LedgerEntry> ofTenant = batch.stream().filter(e -> e.tenantId().equals(WorkedExample.TENANT_ID)).toList();
    assertThat(ofTenant).extracting(LedgerEntry::sequence).containsExactly(3L, 4L);
    List<String> quoted = lines.lines().toList();
    for (int i = 0; i < 2; i++) {
      LedgerEntry parsed = LedgerJson.fromJsonLine(quoted.get(i));
      assertThat(parsed).isEqualTo(ofTenant.get(i));
      assertThat(parsed.signingAlgorithm()).isEqualTo(LedgerFormat.SIGNING_ALGORITHM_MERKLE);
      assertThat(parsed.keyId()).isEqualTo(WorkedExample.key().keyId());
    }

    // what grep -o and uniq -c print
    List<String> proofs = all(batchExample, "^(\"merkle_proof\":\\{.*\\})$");
    assertThat(proofs).containsExactly(
        "\"merkle_proof\":" + ofTenant.get(0).merkleProof().toObject(),
        "\"merkle_proof\":" + ofTenant.get(1).merkleProof().toObject());
    assertThat(all(batchExample, "^ +(\\d+ \"kms_signature\":\"[A-Za-z0-9_-]+\")$"))
        .containsExactly("2 \"kms_signature\":\"" + batch.get(0).kmsSignature() + "\"");

    // cat trail.jsonl batch.jsonl > trail4.jsonl: the resource file, and it verifies
    String trail4 = heredoc("trail.jsonl") + "\n" + lines;
    assertThat(trail4).isEqualTo(String.join("\n", WorkedExample.batchTrailLines()));
    assertThat(resource("/ledger/worked-example-batch.jsonl").strip()).isEqualTo(trail4);
    assertThat(all(batchExample, "^(\\d+) trail4\\.jsonl$")).containsExactly("5");
    VerificationReport report = ChainVerifier.builder()
        .expectCount(4L)
        .expectHead(ofTenant.get(1).eventHash())
        .build()
        .verify(new BufferedReader(new StringReader(trail4)), LedgerKeySet.parse(heredoc("keys.json")));
    assertThat(report.intact()).as(report.failure().map(Object::toString).orElse("")).isTrue();
  }

  @Test
  void batch_theTable_namesTheBatchInAppendOrder() {
    assertThat(batch).extracting(LedgerEntry::tenantId)
        .containsExactly(WorkedExample.TENANT_ID, WorkedExample.TENANT_ID_2, WorkedExample.TENANT_ID);
    assertThat(batch).extracting(LedgerEntry::sequence).containsExactly(3L, 1L, 4L);
    assertThat(batch).extracting(e -> e.merkleProof().leafIndex()).containsExactly(0L, 1L, 2L);
    assertThat(batch).extracting(e -> e.merkleProof().treeSize()).containsOnly(3L);
    assertThat(batch).extracting(LedgerEntry::eventId).containsExactly(
        WorkedExample.eventId(WorkedExample.MESSAGE_ID_3, WorkedExample.TIME_3),
        WorkedExample.eventId(WorkedExample.MESSAGE_ID_TENANT_2, WorkedExample.TIME_TENANT_2),
        WorkedExample.eventId(WorkedExample.MESSAGE_ID_4, WorkedExample.TIME_4));
    assertThat(batch.get(0).previousEventHash()).isEqualTo(entries.get(1).eventHash());
    assertThat(batch.get(1).previousEventHash()).isEqualTo(LedgerFormat.GENESIS_HASH);
    assertThat(batch.get(2).previousEventHash()).isEqualTo(batch.get(0).eventHash());
    assertThat(batchExample)
        .contains("| Axon message identifier | `" + WorkedExample.MESSAGE_ID_3 + "` | `"
            + WorkedExample.MESSAGE_ID_TENANT_2 + "` | `" + WorkedExample.MESSAGE_ID_4 + "` |")
        .contains("| `event_id` | `" + batch.get(0).eventId() + "` | `" + batch.get(1).eventId() + "` | `"
            + batch.get(2).eventId() + "` |")
        .contains("| `timestamp` | `" + LedgerFormat.formatTimestamp(batch.get(0).timestamp()) + "` | `"
            + LedgerFormat.formatTimestamp(batch.get(1).timestamp()) + "` | `"
            + LedgerFormat.formatTimestamp(batch.get(2).timestamp()) + "` |")
        .contains("| `event_hash` | `" + batch.get(0).eventHash() + "` | `" + batch.get(1).eventHash() + "` | `"
            + batch.get(2).eventHash() + "` |")
        .contains("`" + WorkedExample.TENANT_ID_2 + "`")
        .contains("| event | `" + batch.get(0).eventType() + "` ");
    assertThat(batch.get(1).eventType()).isEqualTo("TENANT_REGISTERED");
    assertThat(batch.get(2).eventType()).isEqualTo("MANDATE_SUSPENDED");
    // the table of contents links section 13, and section 12 announces it
    assertThat(doc).contains("(#13-worked-example-a-batch-signed-entry)");
    assertThat(example).contains("§13 continues with a batch-signed one");
    assertThat(doc).contains("\"" + LedgerFormat.BATCH_DOMAIN + "\"")
        .contains("`\"" + LedgerFormat.SIGNING_ALGORITHM_MERKLE + "\"`");
    assertThat(LedgerFormat.BATCH_DOMAIN.length()).isEqualTo(32);
  }

  @Test
  void batch_theQuotedCanonicalJsonAndHashes_areWhatTheCodecComputes() {
    Map<Integer, String> jcs = groups(batchExample, "^\\$ printf '%s' '(\\{.*\\})' >> entry(\\d)\\.bin$", 2, 1);
    Map<Integer, String> hashes =
        groups(batchExample, "^\\$ sha256sum entry(\\d)\\.bin\\n([0-9a-f]{64})  entry\\d\\.bin$", 1, 2);
    assertThat(jcs).containsOnlyKeys(3, 4);
    assertThat(hashes).containsOnlyKeys(3, 4);
    Map<Integer, LedgerEntry> bySequence = Map.of(3, batch.get(0), 4, batch.get(2));
    for (int n = 3; n <= 4; n++) {
      LedgerEntry entry = bySequence.get(n);
      assertThat(jcs.get(n)).as("JCS of entry %d", n).isEqualTo(LedgerEntryCodec.canonicalJson(entry.unsigned()));
      assertThat(hashes.get(n)).as("event_hash of entry %d", n)
          .isEqualTo(entry.eventHash())
          .isEqualTo(LedgerEntryCodec.eventHash(entry.unsigned()))
          .isEqualTo(LedgerFormat.hex(LedgerFormat.sha256(docBytes(jcs.get(n)))));
    }
  }

  @Test
  void batch_theQuotedLeafHashesAndRoot_areThoseOfMerkleTree() {
    List<byte[]> leaves = batch.stream().map(e -> LedgerFormat.unhex(e.eventHash())).toList();
    Map<String, String> vars = variables();
    assertThat(vars.get("e3")).isEqualTo(batch.get(0).eventHash());
    assertThat(vars.get("t2")).isEqualTo(batch.get(1).eventHash());
    assertThat(vars.get("e4")).isEqualTo(batch.get(2).eventHash());

    List<String> leafHashes = leaves.stream().map(l -> LedgerFormat.hex(MerkleTree.leafHash(l))).toList();
    Matcher printed = Pattern.compile("printf '%s\\\\n' \"\\$L0\" \"\\$L1\" \"\\$L2\"\\n([0-9a-f]{64})\\n([0-9a-f]{64})\\n([0-9a-f]{64})$",
        Pattern.MULTILINE).matcher(batchExample);
    assertThat(printed.find()).isTrue();
    assertThat(List.of(printed.group(1), printed.group(2), printed.group(3))).isEqualTo(leafHashes);
    assertThat(all(batchExample, "^([0-9a-f]{64})  -$")).containsExactly(leafHashes.get(0));
    assertThat(all(batchExample, "\\| wc -c\\n(\\d+)$")).containsExactly("33", "65");

    String n01 = single("^\\$ N01=.*; echo \"\\$N01\"\\n([0-9a-f]{64})$");
    String root = single("^\\$ root=.*; echo \"\\$root\"\\n([0-9a-f]{64})$");
    assertThat(n01).isEqualTo(LedgerFormat.hex(MerkleTree.nodeHash(
        MerkleTree.leafHash(leaves.get(0)), MerkleTree.leafHash(leaves.get(1)))));
    assertThat(root).isEqualTo(LedgerFormat.hex(MerkleTree.root(leaves)))
        .isEqualTo(LedgerFormat.hex(MerkleTree.nodeHash(LedgerFormat.unhex(n01), MerkleTree.leafHash(leaves.get(2)))));
    // the paths of step 1 are these hashes, and every proof leads to the root
    assertThat(batch.get(0).merkleProof().path()).containsExactly(leafHashes.get(1), leafHashes.get(2));
    assertThat(batch.get(1).merkleProof().path()).containsExactly(leafHashes.get(0), leafHashes.get(2));
    assertThat(batch.get(2).merkleProof().path()).containsExactly(n01);
    for (LedgerEntry entry : batch) {
      assertThat(LedgerFormat.hex(entry.merkleProof().root(entry.eventHash()))).isEqualTo(root);
    }
  }

  @Test
  void batch_theQuotedStatement_isTheBatchStatement() {
    List<byte[]> leaves = batch.stream().map(e -> LedgerFormat.unhex(e.eventHash())).toList();
    byte[] statement = LedgerFormat.batchStatement(3, MerkleTree.root(leaves));
    EntrySealer.Batch prepared = WorkedExample.batch();
    assertThat(prepared.statement()).isEqualTo(statement);
    assertThat(prepared.proofs()).isEqualTo(batch.stream().map(LedgerEntry::merkleProof).toList());
    // the doc's commands build it from the root of step 4
    assertThat(docStatement(single("^\\$ root=.*; echo \"\\$root\"\\n([0-9a-f]{64})$"))).isEqualTo(statement);
    assertThat(all(batchExample, "^\\$ wc -c < statement\\.bin\\n(\\d+)$")).containsExactly(String.valueOf(statement.length));
    assertThat(statement).hasSize(73);
    // xxd statement.bin
    Matcher dump = Pattern.compile("^\\$ xxd statement\\.bin\\n((?:[0-9a-f]{8}: .*\\n?)+)", Pattern.MULTILINE)
        .matcher(batchExample);
    assertThat(dump.find()).isTrue();
    StringBuilder hex = new StringBuilder();
    for (String line : dump.group(1).split("\n")) {
      String bytes = line.substring(10);
      hex.append(bytes, 0, bytes.indexOf("  ")).append(' ');
    }
    assertThat(hex.toString().replace(" ", "")).isEqualTo(LedgerFormat.hex(statement));
  }

  @Test
  void batch_theQuotedSignature_isTheBatchSignature_andVerifiesOverTheDocsStatement() throws Exception {
    List<String> signatures = all(batchExample, "^\\$ sig='([A-Za-z0-9_-]+)'$");
    assertThat(signatures).hasSize(1);
    assertThat(batch).extracting(LedgerEntry::kmsSignature).containsOnly(signatures.get(0));
    PublicKey key = publicKey(heredoc("pub.pem"));
    byte[] statement = docStatement(single("^\\$ root=.*; echo \"\\$root\"\\n([0-9a-f]{64})$"));
    assertThat(verifies(key, signatures.get(0), statement)).isTrue();
    assertThat(all(batchExample, "^(Verified OK|Verification failure|Signature Verified Successfully)$"))
        .containsExactly("Verified OK", "Signature Verified Successfully", "Verified OK", "Verification failure");
  }

  @Test
  void batch_oneProofAlone_leadsToTheRoot_andAChangedPathElementDoesNot() throws Exception {
    LedgerEntry entry4 = batch.get(2);
    MerkleProof proof = entry4.merkleProof();
    byte[] root = MerkleTree.root(batch.stream().map(e -> LedgerFormat.unhex(e.eventHash())).toList());
    Map<String, String> vars = variables();
    String p = vars.get("p");
    String bad = vars.get("bad");
    assertThat(proof.leafIndex()).isEqualTo(2);
    assertThat(proof.treeSize()).isEqualTo(3);
    assertThat(proof.path()).containsExactly(p);
    assertThat(batchExample).contains("# entry 4: leaf_index 2, tree_size 3, path [p]");

    List<String> leafArguments = all(batchExample, "\\(leaf ([0-9a-f]{64})\\)");
    assertThat(leafArguments).containsExactly(entry4.eventHash(), batch.get(0).eventHash(), entry4.eventHash());
    List<String> rs = all(batchExample, "^\\$ r=.*; echo \"\\$r\"\\n([0-9a-f]{64})$");
    assertThat(rs).hasSize(2);
    assertThat(rs.get(0)).isEqualTo(LedgerFormat.hex(root))
        .isEqualTo(LedgerFormat.hex(MerkleTree.rootFromPath(LedgerFormat.unhex(entry4.eventHash()), 2, 3,
            List.of(LedgerFormat.unhex(p)))));
    // entry 3's proof, computed in one line
    String entry3Line = single("^(\\$ node \"\\$\\(node \"\\$\\(leaf [0-9a-f]{64}\\)\" [0-9a-f]{64}\\)\" [0-9a-f]{64} .*\\n[0-9a-f]{64})$");
    assertThat(entry3Line).contains(batch.get(0).merkleProof().path().get(0) + ")\" " + batch.get(0).merkleProof().path().get(1))
        .endsWith("\n" + LedgerFormat.hex(root));

    // the changed path element: one hex digit differs, another root, the signature fails over it
    assertThat(bad).hasSize(64).isNotEqualTo(p);
    int differences = 0;
    for (int i = 0; i < 64; i++) {
      differences += p.charAt(i) == bad.charAt(i) ? 0 : 1;
    }
    assertThat(differences).isEqualTo(1);
    byte[] badRoot = MerkleTree.rootFromPath(LedgerFormat.unhex(entry4.eventHash()), 2, 3, List.of(LedgerFormat.unhex(bad)));
    assertThat(rs.get(1)).isEqualTo(LedgerFormat.hex(badRoot));
    PublicKey key = publicKey(heredoc("pub.pem"));
    assertThat(verifies(key, entry4.kmsSignature(), docStatement(rs.get(0)))).isTrue();
    assertThat(verifies(key, entry4.kmsSignature(), docStatement(rs.get(1)))).isFalse();

    // "entry 3's proof leads to the same root with tree_size 4"
    assertThat(batchExample).contains("Entry 3's proof, for one, leads to the same root with `tree_size` 4");
    LedgerEntry entry3 = batch.get(0);
    assertThat(MerkleTree.rootFromPath(LedgerFormat.unhex(entry3.eventHash()), 0, 4, entry3.merkleProof().pathBytes()))
        .isEqualTo(root);
    // "a changed leaf_index or tree_size fails as well": no other (index, size) gives the signed statement
    byte[] statement = LedgerFormat.batchStatement(3, root);
    for (LedgerEntry entry : batch) {
      for (long size = 1; size <= 64; size++) {
        for (long index = 0; index < size; index++) {
          if (index == entry.merkleProof().leafIndex() && size == 3) {
            continue;
          }
          byte[] other = MerkleTree.rootFromPath(LedgerFormat.unhex(entry.eventHash()), index, size,
              entry.merkleProof().pathBytes());
          if (other != null) {
            assertThat(LedgerFormat.batchStatement(size, other)).as("leaf %d of %d", index, size).isNotEqualTo(statement);
          }
        }
      }
    }
  }

  @Test
  void batch_theQuotedCliOutput_isWhatTheVerifierFinds() throws Exception {
    LedgerEntry entry4 = batch.get(2);
    List<String> intact = all(batchExample,
        "^(INTACT: \\d+ entries of tenant \\S+ verified \\(head: sequence \\d+, event_hash [0-9a-f]{64}\\)) in [0-9.]+ s$");
    assertThat(intact).hasSize(2).containsOnly("INTACT: 4 entries of tenant " + WorkedExample.TENANT_ID
        + " verified (head: sequence 4, event_hash " + entry4.eventHash() + ")");
    assertThat(batchExample).contains("--expect-count 4 --expect-head " + entry4.eventHash() + " trail4.jsonl");

    // the tampered file: the doc's sed, applied to the trail of step 1
    Matcher sed = Pattern.compile("^\\$ sed 's/([0-9a-f]{64})/([0-9a-f]{64})/' trail4\\.jsonl > tampered4\\.jsonl$",
        Pattern.MULTILINE).matcher(batchExample);
    assertThat(sed.find()).isTrue();
    Map<String, String> vars = variables();
    assertThat(sed.group(1)).isEqualTo(vars.get("p"));
    assertThat(sed.group(2)).isEqualTo(vars.get("bad"));
    String tampered = (heredoc("trail.jsonl") + "\n" + heredoc(batchExample, "batch.jsonl")).lines()
        .map(line -> line.replaceFirst(sed.group(1), sed.group(2)))
        .collect(java.util.stream.Collectors.joining("\n"));
    VerificationReport report = ChainVerifier.builder().build()
        .verify(new BufferedReader(new StringReader(tampered)), LedgerKeySet.parse(heredoc("keys.json")));
    assertThat(report.intact()).isFalse();
    var failure = report.failure().orElseThrow();
    assertThat(failure.kind()).isEqualTo(FailureKind.BAD_SIGNATURE);
    assertThat(failure.sequence()).isEqualTo(4L);
    assertThat(failure.line()).isEqualTo(5L);
    String broken = single("^(BROKEN: .*)$");
    assertThat(broken).startsWith("BROKEN: sequence 4, event " + entry4.eventId() + ", line 5: "
        + FailureKind.BAD_SIGNATURE.label() + ": ")
        .contains(failure.detail());
    byte[] badRoot = MerkleTree.rootFromPath(LedgerFormat.unhex(entry4.eventHash()), 2, 3,
        List.of(LedgerFormat.unhex(vars.get("bad"))));
    assertThat(broken).contains(LedgerFormat.hex(badRoot));
    assertThat(all(batchExample, "^  (\\d+) entries of tenant \\S+ verified before it$")).containsExactly("3");
  }

  /** What the doc's commands write to statement.bin: the quoted domain, 0x00, the quoted size as 8 bytes, the root. */
  private static byte[] docStatement(String rootHex) {
    String domain = single("^\\$ printf '([^']*)\\\\000' > statement\\.bin$");
    String size = single("^\\$ printf '%016x' (\\d+) \\| xxd -r -p >> statement\\.bin$");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(domain.getBytes(StandardCharsets.US_ASCII));
    bytes.write(0);
    bytes.writeBytes(LedgerFormat.unhex(String.format("%016x", Long.parseLong(size))));
    bytes.writeBytes(LedgerFormat.unhex(rootHex));
    return bytes.toByteArray();
  }

  /** The shell variables section 13 sets to a hash: {@code $ name=<64 hex>}. */
  private static Map<String, String> variables() {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher m = Pattern.compile("^\\$ ([a-z0-9]+)=([0-9a-f]{64})\\b", Pattern.MULTILINE).matcher(batchExample);
    while (m.find()) {
      assertThat(found.put(m.group(1), m.group(2))).as(m.group()).isNull();
    }
    return found;
  }

  /** The one match of {@code regex}'s group 1 in section 13. */
  private static String single(String regex) {
    List<String> found = all(batchExample, regex);
    assertThat(found).as(regex).hasSize(1);
    return found.get(0);
  }

  private static boolean verifies(PublicKey key, String signature, byte[] data) throws Exception {
    Signature jca = Signature.getInstance("SHA256withECDSA");
    jca.initVerify(key);
    jca.update(data);
    return jca.verify(LedgerFormat.unbase64Url(signature));
  }

  /** What the doc's two printf commands write: prefix, 0x00, the quoted JCS text in UTF-8. */
  private static byte[] docBytes(String jcs) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(LedgerFormat.ENTRY_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    bytes.write(0);
    bytes.writeBytes(jcs.getBytes(StandardCharsets.UTF_8));
    return bytes.toByteArray();
  }

  /** The text of {@code $ cat > NAME <<'EOF'} … {@code EOF} in the worked example, without the last newline. */
  private static String heredoc(String name) {
    return heredoc(example, name);
  }

  private static String heredoc(String section, String name) {
    Matcher m = Pattern.compile("^\\$ cat > " + Pattern.quote(name) + " <<'EOF'\\n(.*?)\\nEOF$",
        Pattern.MULTILINE | Pattern.DOTALL).matcher(section);
    assertThat(m.find()).as("here-document %s", name).isTrue();
    return m.group(1);
  }

  private static Map<Integer, String> groups(String regex, int keyGroup, int valueGroup) {
    return groups(example, regex, keyGroup, valueGroup);
  }

  private static Map<Integer, String> groups(String section, String regex, int keyGroup, int valueGroup) {
    Map<Integer, String> found = new LinkedHashMap<>();
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(section);
    while (m.find()) {
      assertThat(found.put(Integer.parseInt(m.group(keyGroup)), m.group(valueGroup))).as(m.group()).isNull();
    }
    return found;
  }

  private static List<String> all(String regex) {
    return all(example, regex);
  }

  private static List<String> all(String section, String regex) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(section);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  private static PublicKey publicKey(String pem) throws Exception {
    String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
        .replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(LedgerFormatDocTest.class.getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
