package com.mandateregistry.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.EntrySealer;
import com.mandateregistry.ledger.PendingEntry;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.LedgerKey;
import com.mandateregistry.ledger.format.LedgerKeySet;
import com.mandateregistry.ledger.format.UnsignedEntry;
import com.mandateregistry.ledger.testsupport.TestSigner;
import com.mandateregistry.ledger.testsupport.Trails;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tamper evidence on export files: one change per case, and the verifier must name exactly the
 * right entry (sequence, event id, line) and the right kind of damage. In the export, the entry with
 * sequence k sits at list index k and on file line k + 1 (line 1 is the header).
 */
class ChainVerifierTamperTest {

  private static final String TENANT = "tnt_A";
  private static final int COUNT = 20;

  private static TestSigner signer;
  private static TestSigner otherTrustedSigner;
  private static TestSigner attacker;
  private static List<LedgerEntry> chain;
  private static List<String> export;
  private static LedgerKeySet keys;

  @BeforeAll
  static void trail() {
    signer = TestSigner.generate();
    otherTrustedSigner = TestSigner.generate();
    attacker = TestSigner.generate();
    chain = Trails.chain(TENANT, COUNT, signer);
    keys = LedgerKeySet.of(List.of(signer.ledgerKey(Trails.T0.minusSeconds(60)), otherTrustedSigner.ledgerKey()));
    export = Trails.exportLines(TENANT, keys, chain);
  }

  @Test
  void intactTrail_verifiesEveryEntry() throws Exception {
    VerificationReport report = verify(export);
    assertThat(report.intact()).isTrue();
    assertThat(report.entriesVerified()).isEqualTo(COUNT);
    assertThat(report.headSequence()).isEqualTo(COUNT);
    assertThat(report.headHash()).isEqualTo(chain.get(COUNT - 1).eventHash());
    assertThat(report.keyIds()).containsExactly(signer.keyId(), otherTrustedSigner.keyId());
  }

  @Test
  void emptyTrail_isIntact() throws Exception {
    VerificationReport report = verify(export.subList(0, 1));
    assertThat(report.intact()).isTrue();
    assertThat(report.entriesVerified()).isZero();
    assertThat(report.headHash()).isEqualTo(LedgerFormat.GENESIS_HASH);
  }

  @Test
  void editedDetail_isAHashMismatchAtThatEntry() throws Exception {
    List<String> lines = edit(7, node -> ((ObjectNode) node.get("details")).put("reason", "approved by the board"));
    assertBroken(verify(lines), FailureKind.HASH_MISMATCH, 7);
  }

  @Test
  void editedTimestampOrActor_isAHashMismatch() throws Exception {
    assertBroken(verify(edit(3, node -> node.put("timestamp", "2025-03-01T09:30:03.121Z"))),
        FailureKind.HASH_MISMATCH, 3);
    assertBroken(verify(edit(4, node -> ((ObjectNode) node.get("actor")).put("id", "key_someone_else"))),
        FailureKind.HASH_MISMATCH, 4);
    assertBroken(verify(edit(6, node -> node.putNull("mandate_id"))), FailureKind.HASH_MISMATCH, 6);
  }

  @Test
  void editedEventHash_isAHashMismatchAtThatEntry() throws Exception {
    List<String> lines = edit(7, node -> node.put("event_hash", flipLastHexDigit(node.get("event_hash").asText())));
    VerificationReport report = verify(lines);
    assertBroken(report, FailureKind.HASH_MISMATCH, 7);
    assertThat(report.failure().orElseThrow().detail()).contains(chain.get(6).eventHash());
  }

  @Test
  void editedPreviousHash_isABrokenLinkAtThatEntry() throws Exception {
    List<String> lines =
        edit(7, node -> node.put("previous_event_hash", flipLastHexDigit(node.get("previous_event_hash").asText())));
    assertBroken(verify(lines), FailureKind.BROKEN_LINK, 7);
  }

  @Test
  void entryRehashedAfterAnEdit_breaksTheNextLink() throws Exception {
    // the forger recomputes event_hash of entry 7 but cannot re-sign it: the signature fails first
    List<String> lines = edit(7, node -> {
      ((ObjectNode) node.get("details")).put("reason", "forged");
      node.put("event_hash", recomputedHash(node));
    });
    assertBroken(verify(lines), FailureKind.BAD_SIGNATURE, 7);
  }

  @Test
  void deletedEntryInTheMiddle_isAGapAtTheEntryAfterIt() throws Exception {
    List<String> lines = new ArrayList<>(export);
    lines.remove(7);
    VerificationReport report = verify(lines);
    Failure failure = assertBroken(report, FailureKind.GAP_IN_SEQUENCE, 8, 8);
    assertThat(failure.detail()).contains("sequence 7 is missing");
    assertThat(report.entriesVerified()).isEqualTo(6);
  }

  @Test
  void deletedRun_isAGap() throws Exception {
    List<String> lines = new ArrayList<>(export);
    lines.subList(7, 10).clear(); // sequences 7, 8, 9
    assertThat(assertBroken(verify(lines), FailureKind.GAP_IN_SEQUENCE, 10, 8).detail())
        .contains("sequence 7 to 9 are missing");
  }

  @Test
  void forgedEntryInserted_withTheTrustedKeyId_isABadSignature() throws Exception {
    LedgerEntry forged = forgeAfter(chain.get(6), attacker, signer.keyId());
    List<String> lines = new ArrayList<>(export);
    lines.add(8, LedgerJson.toJsonLine(forged));
    Failure failure = assertBroken(verify(lines), FailureKind.BAD_SIGNATURE, 8, 9);
    assertThat(failure.eventId()).isEqualTo(forged.eventId());
  }

  @Test
  void forgedEntryInserted_withItsOwnKey_isAnUnknownKey() throws Exception {
    LedgerEntry forged = forgeAfter(chain.get(6), attacker, attacker.keyId());
    List<String> lines = new ArrayList<>(export);
    lines.add(8, LedgerJson.toJsonLine(forged));
    Failure failure = assertBroken(verify(lines), FailureKind.UNKNOWN_KEY, 8, 9);
    assertThat(failure.eventId()).isEqualTo(forged.eventId());
    assertThat(failure.detail()).contains(attacker.keyId());
  }

  @Test
  void forgedEntryAppendedAsADuplicateSequence_isADuplicate() throws Exception {
    List<String> lines = new ArrayList<>(export);
    lines.add(8, export.get(7)); // entry 7 twice
    assertBroken(verify(lines), FailureKind.DUPLICATE_SEQUENCE, 7, 9);
  }

  @Test
  void swappedAdjacentEntries_areOutOfOrder() throws Exception {
    List<String> lines = new ArrayList<>(export);
    Collections.swap(lines, 7, 8);
    Failure failure = assertBroken(verify(lines), FailureKind.OUT_OF_ORDER, 8, 8);
    assertThat(failure.detail()).contains("sequence 7 comes later, at line 9");
  }

  @Test
  void swappedDistantEntries_areOutOfOrder() throws Exception {
    List<String> lines = new ArrayList<>(export);
    Collections.swap(lines, 5, 12);
    Failure failure = assertBroken(verify(lines), FailureKind.OUT_OF_ORDER, 12, 6);
    assertThat(failure.detail()).contains("sequence 5 comes later, at line 13");
  }

  @Test
  void entryMovedBackwards_isOutOfOrder() throws Exception {
    List<String> lines = new ArrayList<>(export);
    String moved = lines.remove(3);
    lines.add(9, moved); // 1 2 4 5 6 7 8 9 3 10 …
    assertBroken(verify(lines), FailureKind.OUT_OF_ORDER, 4, 4);
  }

  @Test
  void replacedSignature_isABadSignatureAtThatEntry() throws Exception {
    List<String> lines = edit(7, node -> node.put("kms_signature", chain.get(7).kmsSignature()));
    assertBroken(verify(lines), FailureKind.BAD_SIGNATURE, 7);
  }

  @Test
  void garbledSignature_isABadSignature() throws Exception {
    assertBroken(verify(edit(7, node -> node.put("kms_signature", "not+base64url="))), FailureKind.BAD_SIGNATURE, 7);
    assertBroken(verify(edit(7, node -> node.put("kms_signature", "MEUCIQ"))), FailureKind.BAD_SIGNATURE, 7);
  }

  @Test
  void entryResignedWithAnUnknownKey_isAnUnknownKey() throws Exception {
    LedgerEntry resigned = resign(chain.get(6), attacker, attacker.keyId());
    List<String> lines = new ArrayList<>(export);
    lines.set(7, LedgerJson.toJsonLine(resigned));
    Failure failure = assertBroken(verify(lines), FailureKind.UNKNOWN_KEY, 7);
    assertThat(failure.detail()).contains(attacker.keyId());
  }

  @Test
  void entrySignedByAKnownKeyThatItDoesNotName_isABadSignature() throws Exception {
    // content unchanged, key_id still names the signer, but the signature is another trusted key's
    LedgerEntry resigned = resign(chain.get(6), otherTrustedSigner, signer.keyId());
    assertThat(resigned.eventHash()).isEqualTo(chain.get(6).eventHash());
    List<String> lines = new ArrayList<>(export);
    lines.set(7, LedgerJson.toJsonLine(resigned));
    assertBroken(verify(lines), FailureKind.BAD_SIGNATURE, 7);
  }

  @Test
  void entryNamingAnotherKnownKeyButSignedByTheFirst_isABadSignature() throws Exception {
    // key_id switched to the other trusted key (hash recomputed), signature by the original key
    UnsignedEntry switched = withKeyId(chain.get(6).unsigned(), otherTrustedSigner.keyId());
    byte[] encoded = LedgerEntryCodec.encode(switched);
    LedgerEntry entry = LedgerEntry.of(switched, LedgerFormat.hex(LedgerFormat.sha256(encoded)),
        LedgerFormat.base64Url(signer.sign(encoded).der()));
    List<String> lines = new ArrayList<>(export);
    lines.set(7, LedgerJson.toJsonLine(entry));
    assertBroken(verify(lines), FailureKind.BAD_SIGNATURE, 7);
  }

  @Test
  void keyRetiredBeforeTheEvent_isAKeyRetired() throws Exception {
    // retired between entry 9 (T0+8 s) and entry 10 (T0+9 s)
    LedgerKey retired = LedgerKey.of(signer.publicKey(), Trails.T0.minusSeconds(60), Trails.T0.plusMillis(8_500));
    VerificationReport report = verify(export, LedgerKeySet.of(List.of(retired)));
    assertBroken(report, FailureKind.KEY_RETIRED, 10);
  }

  @Test
  void truncatedTail_isOnlyCaughtWithAnExpectedCountOrHead() throws Exception {
    List<String> truncated = export.subList(0, COUNT - 3 + 1);
    assertThat(verify(truncated).intact()).isTrue();

    VerificationReport byCount = verify(truncated, null, ChainVerifier.builder().expectCount((long) COUNT));
    Failure count = assertBroken(byCount, FailureKind.UNEXPECTED_COUNT, COUNT - 3);
    assertThat(count.detail()).contains("has 17 entries, expected 20");

    String head = chain.get(COUNT - 1).eventHash();
    VerificationReport byHead = verify(truncated, null, ChainVerifier.builder().expectHead(head));
    assertBroken(byHead, FailureKind.UNEXPECTED_HEAD, COUNT - 3);

    assertThat(verify(export, null, ChainVerifier.builder().expectHead(head).expectCount((long) COUNT)).intact())
        .isTrue();
  }

  @Test
  void entryOfAnotherTenant_isATenantMismatch() throws Exception {
    LedgerEntry foreign = Trails.chain("tnt_B", 1, signer).get(0);
    List<String> lines = new ArrayList<>(export);
    lines.add(1, LedgerJson.toJsonLine(foreign));
    Failure failure = assertBroken(verify(lines), FailureKind.TENANT_MISMATCH, 1, 2);
    assertThat(failure.eventId()).isEqualTo(foreign.eventId());
  }

  @Test
  void malformedLines_areNamed() throws Exception {
    List<String> lines = new ArrayList<>(export);
    lines.set(4, "{not json");
    Failure notJson = verify(lines).failure().orElseThrow();
    assertThat(notJson.kind()).isEqualTo(FailureKind.MALFORMED_ENTRY);
    assertThat(notJson.line()).isEqualTo(5);
    assertThat(notJson.sequence()).isNull();

    assertBroken(verify(edit(4, node -> node.put("approved", true))), FailureKind.MALFORMED_ENTRY, 4);
    assertBroken(verify(edit(4, node -> node.remove("key_id"))), FailureKind.MALFORMED_ENTRY, 4);
    assertBrokenAt(verify(edit(4, node -> node.put("sequence", "4"))), FailureKind.MALFORMED_ENTRY, null, 5, chain);
    assertBroken(verify(edit(4, node -> node.put("timestamp", "2025-03-01T09:30:03Z"))), FailureKind.MALFORMED_ENTRY, 4);

    // a duplicate member could show one value and hash another: refused
    lines = new ArrayList<>(export);
    lines.set(4, lines.get(4).replaceFirst("\\{", "{\"details\":{\"reason\":\"shadow\"},"));
    assertBrokenAt(verify(lines), FailureKind.MALFORMED_ENTRY, null, 5, chain);
  }

  @Test
  void unsupportedAlgorithm_isNamed() throws Exception {
    assertBroken(verify(edit(2, node -> node.put("hash_algorithm", "SHA-512"))), FailureKind.UNSUPPORTED_ALGORITHM, 2);
    assertBroken(verify(edit(2, node -> node.put("signing_algorithm", "EdDSA"))), FailureKind.UNSUPPORTED_ALGORITHM, 2);
  }

  @Test
  void blankLines_areSkipped_butLineNumbersCount() throws Exception {
    List<String> lines = new ArrayList<>(export);
    lines.add(3, "");
    assertThat(verify(lines).intact()).isTrue();
    lines = edit(lines, 8, node -> ((ObjectNode) node.get("details")).put("reason", "x"));
    assertBroken(verify(lines), FailureKind.HASH_MISMATCH, 7, 9);
  }

  @Test
  void headerKeysAreNotATrustAnchor_pinnedKeysAre() throws Exception {
    // the whole trail rebuilt and re-signed by an attacker, with the attacker's key in the header
    List<LedgerEntry> rebuilt = Trails.chain(TENANT, COUNT, attacker);
    List<String> forged = Trails.exportLines(TENANT, LedgerKeySet.of(List.of(attacker.ledgerKey())), rebuilt);
    assertThat(verify(forged).intact()).isTrue();
    assertBroken(verify(forged, keys), FailureKind.UNKNOWN_KEY, 1);
  }

  @Test
  void notAnExport_isAnExportFormatException() {
    assertThatThrownBy(() -> verify(List.of()))
        .isInstanceOf(ExportFormatException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> verify(export.subList(1, 3)))
        .isInstanceOf(ExportFormatException.class).hasMessageContaining("line 1");
  }

  @ParameterizedTest
  @EnumSource(ChainVerifier.Engine.class)
  void bothEnginesAgree(ChainVerifier.Engine engine) throws Exception {
    assertThat(verify(export, null, ChainVerifier.builder().engine(engine)).intact()).isTrue();
    List<String> lines = edit(9, node -> node.put("kms_signature", chain.get(2).kmsSignature()));
    assertBroken(verify(lines, null, ChainVerifier.builder().engine(engine)), FailureKind.BAD_SIGNATURE, 9);
  }

  /**
   * Text that is not well-formed Unicode is refused, never replaced: a lenient decoder would hash
   * {@code FF} as U+FFFD, and the service's encoder writes an unpaired surrogate as {@code ?}, so
   * either would let an altered line verify as the original.
   */
  @Nested
  class IllFormedText {

    private static final String SEQ_3 = "\"sequence\":3,";

    /** A trail whose entry 3 says "why? \ufffd" in its details, as the service may write them. */
    private List<String> trail() {
      List<LedgerEntry> entries = new ArrayList<>();
      ChainHead head = ChainHead.empty(TENANT);
      for (int i = 0; i < 4; i++) {
        PendingEntry pending = Trails.event(TENANT, i);
        if (i == 2) {
          pending = new PendingEntry(pending.eventId(), TENANT, pending.mandateId(), pending.eventType(),
              pending.timestamp(), pending.actor(), "{\"reason\":\"why? \ufffd\"}");
        }
        LedgerEntry entry = Trails.seal(head, pending, signer);
        entries.add(entry);
        head = EntrySealer.headAfter(entry);
      }
      return Trails.exportLines(TENANT, keys, entries);
    }

    private byte[] bytes(List<String> lines) {
      return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theUntouchedTrail_isIntact() throws Exception {
      assertThat(verifyBytes(bytes(trail())).intact()).isTrue();
    }

    @Test
    void anUnpairedSurrogateEscape_isAMalformedEntry_notHashedAsQuestionMark() throws Exception {
      List<String> lines = new ArrayList<>(trail());
      assertThat(lines.get(3)).contains(SEQ_3).contains("why? ");
      lines.set(3, lines.get(3).replace("why? ", "why\\ud800 "));
      Failure failure = verifyBytes(bytes(lines)).failure().orElseThrow();
      assertThat(failure.kind()).as(failure.describe()).isEqualTo(FailureKind.MALFORMED_ENTRY);
      assertThat(failure.line()).isEqualTo(4);
      assertThat(failure.sequence()).isEqualTo(3);
      assertThat(failure.detail()).contains("unpaired surrogate");
      // the same through a reader, and a lone low surrogate, and one in a member name
      assertThat(verify(lines).failure().orElseThrow().kind()).isEqualTo(FailureKind.MALFORMED_ENTRY);
      lines.set(3, trail().get(3).replace("why? ", "why\\udc00 "));
      assertThat(verifyBytes(bytes(lines)).failure().orElseThrow().kind()).isEqualTo(FailureKind.MALFORMED_ENTRY);
      lines.set(3, trail().get(3).replace("\"reason\"", "\"r\\ud800\""));
      assertThat(verifyBytes(bytes(lines)).failure().orElseThrow().kind()).isEqualTo(FailureKind.MALFORMED_ENTRY);
    }

    @Test
    void anEscapedSurrogatePair_isTheCharacterItself() throws Exception {
      List<String> lines = new ArrayList<>(trail());
      lines.set(3, lines.get(3).replace("why? \ufffd", "why? \\ufffd"));
      assertThat(verifyBytes(bytes(lines)).intact()).isTrue();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "FF", "FE", "80", "C0AF", "C1BF", "E080AF", "EDA080", "EDBFBF", "F4908080", "F8888080", "E282", "F09F98"})
    void illFormedUtf8_isAMalformedEntry_notHashedAsReplacementCharacter(String hex) throws Exception {
      byte[] original = bytes(trail());
      byte[] replacement = "\ufffd".getBytes(StandardCharsets.UTF_8); // EF BF BD
      int at = indexOf(original, replacement);
      byte[] bad = java.util.HexFormat.of().parseHex(hex);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.write(original, 0, at);
      out.write(bad);
      out.write(original, at + replacement.length, original.length - at - replacement.length);
      VerificationReport report = verifyBytes(out.toByteArray());
      Failure failure = report.failure().orElseThrow(() -> new AssertionError("intact with " + hex));
      assertThat(failure.kind()).as(failure.describe()).isEqualTo(FailureKind.MALFORMED_ENTRY);
      assertThat(failure.line()).isEqualTo(4);
      assertThat(failure.sequence()).isEqualTo(3);
      assertThat(failure.eventId()).isNotNull();
      assertThat(failure.detail()).contains("not well-formed UTF-8");
      assertThat(report.entriesVerified()).isEqualTo(2);
    }

    @Test
    void illFormedUtf8_inTheHeader_isNotAnExport() throws Exception {
      byte[] original = bytes(trail());
      original[10] = (byte) 0xFF;
      assertThatThrownBy(() -> verifyBytes(original))
          .isInstanceOf(ExportFormatException.class).hasMessageContaining("line 1").hasMessageContaining("UTF-8");
    }

    @Test
    void crlfLineEnds_longLines_andNoFinalNewline_areRead() throws Exception {
      String text = String.join("\r\n", trail());
      assertThat(verifyBytes(text.getBytes(StandardCharsets.UTF_8)).entriesVerified()).isEqualTo(4);
      // a line longer than the reader's buffer
      List<String> lines = new ArrayList<>(trail());
      lines.add(2, " ".repeat(200_000));
      assertThat(verifyBytes(bytes(lines)).entriesVerified()).isEqualTo(4);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= haystack.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (haystack[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      throw new AssertionError("not found");
    }
  }

  @Nested
  class LongTrails {

    @Test
    void damageAcrossBatchBoundaries_isFoundInOrder_withAnyNumberOfThreads() throws Exception {
      FastTestSigner fast = FastTestSigner.generate();
      List<LedgerEntry> entries = Trails.chain(TENANT, 3000, fast);
      List<String> lines = Trails.exportLines(TENANT, LedgerKeySet.of(List.of(LedgerKey.of(fast.publicKey(), null, null))), entries);
      List<String> damaged = edit(lines, 2999, node -> node.put("kms_signature", entries.get(5).kmsSignature()));
      damaged = edit(damaged, 1500, node -> ((ObjectNode) node.get("details")).put("amount", 1));
      for (int threads : new int[] {1, 2, 5}) {
        assertThat(verify(lines, null, ChainVerifier.builder().threads(threads)).entriesVerified()).isEqualTo(3000);
        VerificationReport report = verify(damaged, null, ChainVerifier.builder().threads(threads));
        assertBrokenAt(report, FailureKind.HASH_MISMATCH, 1500L, 1501, entries);
        assertThat(report.entriesVerified()).isEqualTo(1499);
      }
      List<String> reordered = new ArrayList<>(lines);
      Collections.swap(reordered, 100, 2900);
      assertThat(verify(reordered).failure().orElseThrow().detail()).contains("sequence 100 comes later, at line 2901");
    }

    @Test
    void progressIsReported() throws Exception {
      FastTestSigner fast = FastTestSigner.generate();
      List<String> lines = Trails.exportLines(TENANT, LedgerKeySet.of(List.of(LedgerKey.of(fast.publicKey(), null, null))),
          Trails.chain(TENANT, 1200, fast));
      List<Long> seen = Collections.synchronizedList(new ArrayList<>());
      verify(lines, null, ChainVerifier.builder().progress((n, t) -> seen.add(n), 500));
      assertThat(seen).containsExactly(500L, 1000L, 1200L);
    }
  }

  // --- helpers

  private static VerificationReport verify(List<String> lines) throws Exception {
    return verify(lines, null);
  }

  private static VerificationReport verify(List<String> lines, LedgerKeySet trusted) throws Exception {
    return verify(lines, trusted, ChainVerifier.builder());
  }

  private static VerificationReport verify(List<String> lines, LedgerKeySet trusted, ChainVerifier.Builder builder)
      throws Exception {
    String text = String.join("\n", lines) + (lines.isEmpty() ? "" : "\n");
    return builder.build().verify(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), trusted);
  }

  /** The export's bytes, as a file holds them. */
  private static VerificationReport verifyBytes(byte[] export) throws Exception {
    return ChainVerifier.builder().build().verify(new ByteArrayInputStream(export), null);
  }

  private static Failure assertBroken(VerificationReport report, FailureKind kind, long sequence) {
    return assertBroken(report, kind, sequence, sequence + 1);
  }

  /** The failure must name this kind, sequence, line, and the event id found on that line. */
  private static Failure assertBroken(VerificationReport report, FailureKind kind, long sequence, long line) {
    return assertBrokenAt(report, kind, sequence, line, chain);
  }

  private static Failure assertBrokenAt(
      VerificationReport report, FailureKind kind, Long sequence, long line, List<LedgerEntry> chain) {
    assertThat(report.intact()).as("report is broken").isFalse();
    Failure failure = report.failure().orElseThrow();
    assertThat(failure.kind()).as(failure.describe()).isEqualTo(kind);
    assertThat(failure.sequence()).as(failure.describe()).isEqualTo(sequence);
    assertThat(failure.line()).as(failure.describe()).isEqualTo(line);
    if (sequence != null && kind != FailureKind.UNEXPECTED_COUNT && kind != FailureKind.UNEXPECTED_HEAD
        && kind != FailureKind.TENANT_MISMATCH && failure.eventId() != null
        && !failure.eventId().startsWith("evt_forged")) {
      assertThat(failure.eventId()).as(failure.describe()).isEqualTo(chain.get((int) (sequence - 1)).eventId());
    }
    assertThat(failure.describe()).startsWith("sequence " + (sequence == null ? "?" : sequence) + ", event ");
    return failure;
  }

  private static List<String> edit(int sequence, java.util.function.Consumer<ObjectNode> change) throws Exception {
    return edit(export, sequence, change);
  }

  private static List<String> edit(List<String> lines, int index, java.util.function.Consumer<ObjectNode> change)
      throws Exception {
    List<String> copy = new ArrayList<>(lines);
    ObjectNode node = (ObjectNode) LedgerJson.mapper().readTree(copy.get(index));
    change.accept(node);
    copy.set(index, LedgerJson.mapper().writeValueAsString(node));
    return copy;
  }

  private static String recomputedHash(ObjectNode line) {
    try {
      return LedgerFormat.hex(LedgerFormat.sha256(LedgerEntryCodec.encodeHashedFields(LedgerEntryCodec.hashedFieldsOf(line))));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String flipLastHexDigit(String hash) {
    char last = hash.charAt(hash.length() - 1);
    return hash.substring(0, hash.length() - 1) + (last == '0' ? '1' : '0');
  }

  /** A new entry right after {@code previous}, signed by {@code by}, naming {@code keyId}. */
  private static LedgerEntry forgeAfter(LedgerEntry previous, TestSigner by, String keyId) throws Exception {
    PendingEntry pending = new PendingEntry("evt_forged", TENANT, "mdt_x", "MANDATE_CREATED",
        previous.timestamp().plusMillis(1), "{\"type\":\"api_key\",\"id\":\"key_forger\"}", "{}");
    LedgerEntry sealed = EntrySealer.seal(EntrySealer.headAfter(previous), pending, by);
    return resign(sealed, by, keyId);
  }

  /** {@code entry} with key_id {@code keyId}, hash recomputed, signed by {@code by}. */
  private static LedgerEntry resign(LedgerEntry entry, TestSigner by, String keyId) throws Exception {
    UnsignedEntry unsigned = withKeyId(entry.unsigned(), keyId);
    byte[] encoded = LedgerEntryCodec.encode(unsigned);
    return LedgerEntry.of(unsigned, LedgerFormat.hex(LedgerFormat.sha256(encoded)),
        LedgerFormat.base64Url(by.sign(encoded).der()));
  }

  private static UnsignedEntry withKeyId(UnsignedEntry u, String keyId) {
    return new UnsignedEntry(u.sequence(), u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(),
        u.actor(), u.details(), u.previousEventHash(), keyId, u.hashAlgorithm(), u.signingAlgorithm());
  }
}
