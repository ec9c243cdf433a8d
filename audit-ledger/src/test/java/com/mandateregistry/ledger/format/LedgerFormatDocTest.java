package com.mandateregistry.ledger.format;

import static org.assertj.core.api.Assertions.assertThat;

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
 */
class LedgerFormatDocTest {

  private static final Path DOC = Path.of("../docs/ledger-format.md");

  private static String doc;
  private static String example;
  private static List<LedgerEntry> entries;

  @BeforeAll
  static void read() throws IOException {
    doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int start = doc.indexOf("## 12. Worked example");
    assertThat(start).as("section 12 of %s", DOC).isNotNegative();
    example = doc.substring(start);
    entries = WorkedExample.entries();
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
    Matcher m = Pattern.compile("^\\$ cat > " + Pattern.quote(name) + " <<'EOF'\\n(.*?)\\nEOF$",
        Pattern.MULTILINE | Pattern.DOTALL).matcher(example);
    assertThat(m.find()).as("here-document %s in section 12", name).isTrue();
    return m.group(1);
  }

  private static Map<Integer, String> groups(String regex, int keyGroup, int valueGroup) {
    Map<Integer, String> found = new LinkedHashMap<>();
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(example);
    while (m.find()) {
      assertThat(found.put(Integer.parseInt(m.group(keyGroup)), m.group(valueGroup))).as(m.group()).isNull();
    }
    return found;
  }

  private static List<String> all(String regex) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(example);
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
