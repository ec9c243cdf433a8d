package com.mandateregistry.ledger.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.EntrySealer;
import com.mandateregistry.ledger.PendingEntry;
import com.mandateregistry.ledger.testsupport.TestSigner;
import com.mandateregistry.ledger.testsupport.Trails;
import com.mandateregistry.ledger.verify.P256Verifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The canonical encoding, byte by byte, and the known-answer vectors of docs/ledger-format.md. */
class LedgerEntryCodecTest {

  // --- the worked example of docs/ledger-format.md (throwaway key, see WorkedExample) ---

  static final String KID = "O2rhWZLHgk8NrJHWFEKk3iTgEpuUmehwlHMXS2ek1Ec";

  static final String PUBLIC_KEY_SPKI_BASE64 =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEgicr3DMK/uWy5EMH1B0DnFmlFxP0"
          + "NEJ/kN2kJybLtqR7NhdSbYqjnEs/Rlg5/lmamkdAxgsQWGxixXdlqw22QA==";

  static final String TENANT = "tnt_01JKQDYM008S0Y4K7M9P3W5X6Z";

  static final String ENTRY1_JCS =
      "{\"actor\":{\"id\":\"key_01JKQDYNEW6E8G0J2K4N6Q8S0V\",\"type\":\"api_key\"},"
          + "\"details\":{\"constraints\":{\"max_amount\":5000},"
          + "\"correlation_id\":\"0b9d2c58-4f7e-4a61-b1e3-6f2a9c8d7e15\","
          + "\"created_at\":\"2025-03-01T09:30:00.120Z\","
          + "\"delegate\":{\"subject_id\":\"monco:agent:validate-agent-v2\",\"type\":\"ai_agent\"},"
          + "\"expires_at\":\"2030-01-01T00:00:00Z\",\"metadata\":{\"note\":\"Zone EG – Größe 42\"},"
          + "\"principal\":{\"subject_id\":\"monco:user:max\",\"type\":\"natural_person\"},"
          + "\"scope\":{\"actions\":[\"construction.validation.*\"],\"effect\":\"ALLOW\","
          + "\"resources\":[\"monco:project:proj_ABC123/**\"]}},"
          + "\"event_id\":\"evt_01JN8GN2HRRW7EJZF071XX9F5P\",\"event_type\":\"MANDATE_CREATED\","
          + "\"hash_algorithm\":\"SHA-256\",\"key_id\":\"" + KID + "\","
          + "\"mandate_id\":\"mdt_01JN8GN2HPF5G7H9J1K3M5N7P9\","
          + "\"previous_event_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\","
          + "\"sequence\":1,\"signing_algorithm\":\"ES256\",\"tenant_id\":\"" + TENANT + "\","
          + "\"timestamp\":\"2025-03-01T09:30:00.120Z\"}";

  // { printf 'mandate-registry/ledger-entry/v1\000'; printf '%s' "$ENTRY1_JCS"; } | sha256sum
  static final String ENTRY1_HASH = "5c8bf54475a03c7db833aa1cfedf422e75bb9a1ff06581aea81d1287e14a68fe";

  // printf '%s' "$ENTRY1_SIG_HEX" | xxd -r -p > sig1.der
  // openssl dgst -sha256 -verify pub.pem -signature sig1.der entry1.bin    -> Verified OK
  static final String ENTRY1_SIG_HEX =
      "3046022100c3d5df1f5904e8a8cf0767ac88ade625bcd9de043b69a617c1bdec624290fa00"
          + "0221009c42e46c84525c0052ddc908853ce50e5453107a7f4e462bb51305dc608b182a";

  static final String ENTRY2_JCS =
      "{\"actor\":{\"id\":\"key_01JKWSKS80T4V6W8Y0Z2A4C6E8\",\"type\":\"api_key\"},"
          + "\"details\":{\"action\":\"construction.payment.approve\","
          + "\"context\":{\"amount\":1.5,\"currency\":\"EUR\"},\"decision\":\"DENY\","
          + "\"delegate\":{\"subject_id\":\"monco:agent:validate-agent-v2\",\"type\":\"ai_agent\"},"
          + "\"reason_codes\":[\"NO_MATCHING_MANDATE\"],"
          + "\"resource\":\"monco:project:proj_ABC123/invoice-17\"},"
          + "\"event_id\":\"evt_01JN8GQ8R571JQZGPDCGK9V03C\",\"event_type\":\"VERIFICATION_DENIED\","
          + "\"hash_algorithm\":\"SHA-256\",\"key_id\":\"" + KID + "\",\"mandate_id\":null,"
          + "\"previous_event_hash\":\"" + ENTRY1_HASH + "\",\"sequence\":2,\"signing_algorithm\":\"ES256\","
          + "\"tenant_id\":\"" + TENANT + "\",\"timestamp\":\"2025-03-01T09:31:12.005Z\"}";

  // { printf 'mandate-registry/ledger-entry/v1\000'; printf '%s' "$ENTRY2_JCS"; } | sha256sum
  static final String ENTRY2_HASH = "ba70d97bd448ce14793bee0d06726edff5d23e23be436f66276a0e790aeae232";

  /** Entry 1's event, with actor and details written loosely: the encoding is canonical anyway. */
  static PendingEntry entry1() {
    PendingEntry p = WorkedExample.events().get(0);
    return new PendingEntry(p.eventId(), p.tenantId(), p.mandateId(), p.eventType(), p.timestamp(),
        // member order, white space and escapes do not matter
        "{ \"type\": \"api_key\", \"id\": \"key_01JKQDYNEW6E8G0J2K4N6Q8S0V\" }",
        "{\"metadata\":{\"note\":\"Zone EG \\u2013 Gr\\u00f6\\u00dfe 42\"},"
            + "\"principal\":{\"type\":\"natural_person\",\"subject_id\":\"monco:user:max\"},"
            + "\"delegate\":{\"type\":\"ai_agent\",\"subject_id\":\"monco:agent:validate-agent-v2\"},"
            + "\"scope\":{\"actions\":[\"construction.validation.*\"],"
            + "\"resources\":[\"monco:project:proj_ABC123/**\"],\"effect\":\"ALLOW\"},"
            + "\"constraints\":{\"max_amount\":5.0E3},"
            + "\"expires_at\":\"2030-01-01T00:00:00Z\",\"created_at\":\"2025-03-01T09:30:00.120Z\","
            + "\"correlation_id\":\"0b9d2c58-4f7e-4a61-b1e3-6f2a9c8d7e15\"}");
  }

  static UnsignedEntry unsigned1() {
    PendingEntry p = entry1();
    return new UnsignedEntry(1, p.eventId(), p.tenantId(), p.mandateId(), p.eventType(), p.timestamp(),
        p.actor(), p.details(), LedgerFormat.GENESIS_HASH, KID, "SHA-256", "ES256");
  }

  static UnsignedEntry unsigned2() {
    PendingEntry p = WorkedExample.events().get(1);
    return new UnsignedEntry(2, p.eventId(), p.tenantId(), p.mandateId(), p.eventType(), p.timestamp(),
        p.actor(), p.details(), ENTRY1_HASH, KID, "SHA-256", "ES256");
  }

  @Test
  void knownAnswer_entry1_canonicalJsonBytesAndHash() {
    // { printf 'mandate-registry/ledger-entry/v1\000'; printf '%s' '<ENTRY1_JCS>'; } | sha256sum
    //   -> 5c8bf54475a03c7db833aa1cfedf422e75bb9a1ff06581aea81d1287e14a68fe  -
    assertThat(LedgerEntryCodec.canonicalJson(unsigned1())).isEqualTo(ENTRY1_JCS);
    byte[] bytes = LedgerEntryCodec.encode(unsigned1());
    byte[] prefix = "mandate-registry/ledger-entry/v1".getBytes(StandardCharsets.US_ASCII);
    assertThat(Arrays.copyOfRange(bytes, 0, 32)).isEqualTo(prefix);
    assertThat(bytes[32]).isZero();
    assertThat(new String(bytes, 33, bytes.length - 33, StandardCharsets.UTF_8)).isEqualTo(ENTRY1_JCS);
    assertThat(bytes).hasSize(995);
    assertThat(LedgerEntryCodec.eventHash(unsigned1())).isEqualTo(ENTRY1_HASH);
  }

  @Test
  void knownAnswer_entry2_linksToEntry1_andWritesNullMandateAndShortestNumbers() {
    // { printf 'mandate-registry/ledger-entry/v1\000'; printf '%s' '<ENTRY2_JCS>'; } | sha256sum
    //   -> ba70d97bd448ce14793bee0d06726edff5d23e23be436f66276a0e790aeae232  -
    assertThat(LedgerEntryCodec.canonicalJson(unsigned2())).isEqualTo(ENTRY2_JCS);
    assertThat(LedgerEntryCodec.eventHash(unsigned2())).isEqualTo(ENTRY2_HASH);
  }

  @Test
  void knownAnswer_signatureOfTheDocVerifies_withBothEngines() throws Exception {
    // openssl dgst -sha256 -verify pub.pem -signature sig1.der entry1.bin   -> Verified OK
    ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(PUBLIC_KEY_SPKI_BASE64)));
    byte[] der = HexFormat.of().parseHex(ENTRY1_SIG_HEX);
    byte[] bytes = LedgerEntryCodec.encode(unsigned1());

    Signature jca = Signature.getInstance("SHA256withECDSA");
    jca.initVerify(key);
    jca.update(bytes);
    assertThat(jca.verify(der)).isTrue();
    // the signed digest IS the event hash (what a KMS signs with MessageType=DIGEST)
    P256Verifier.forKey(key).verifyDigest(HexFormat.of().parseHex(ENTRY1_HASH), der);
    assertThat(LedgerKey.of(key, null, null).keyId()).isEqualTo(KID);
  }

  @Test
  void knownAnswer_thumbprint() throws Exception {
    // printf '%s' '{"crv":"P-256","kty":"EC","x":"gicr3DMK_uWy5EMH1B0DnFmlFxP0NEJ_kN2kJybLtqQ",
    //   "y":"ezYXUm2Ko5xLP0ZYOf5ZmppHQMYLEFhsYsV3ZasNtkA"}' | openssl dgst -sha256 -binary | basenc --base64url | tr -d =
    String input = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"gicr3DMK_uWy5EMH1B0DnFmlFxP0NEJ_kN2kJybLtqQ\","
        + "\"y\":\"ezYXUm2Ko5xLP0ZYOf5ZmppHQMYLEFhsYsV3ZasNtkA\"}";
    assertThat(LedgerFormat.base64Url(LedgerFormat.sha256(input.getBytes(StandardCharsets.US_ASCII)))).isEqualTo(KID);
  }

  @Test
  void knownAnswer_theDocsExportFile_isIntact() throws Exception {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(
        Objects.requireNonNull(getClass().getResourceAsStream("/ledger/worked-example.jsonl")), StandardCharsets.UTF_8))) {
      var report = com.mandateregistry.ledger.verify.ChainVerifier.builder().expectHead(ENTRY2_HASH).build()
          .verify(reader, null);
      assertThat(report.intact()).as(report.failure().map(Object::toString).orElse("")).isTrue();
      assertThat(report.entriesVerified()).isEqualTo(2);
    }
  }

  @Test
  void replayingTheSameEvents_givesByteIdenticalHashes_butFreshSignatures() {
    TestSigner signer = TestSigner.generate();
    List<LedgerEntry> first = Trails.chain("tnt_D", 50, signer);
    List<LedgerEntry> second = Trails.chain("tnt_D", 50, signer);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).eventHash()).isEqualTo(first.get(i).eventHash());
      assertThat(LedgerEntryCodec.encode(second.get(i).unsigned())).isEqualTo(LedgerEntryCodec.encode(first.get(i).unsigned()));
      assertThat(second.get(i).previousEventHash()).isEqualTo(first.get(i).previousEventHash());
    }
    // ECDSA is randomised: same entry, other signature, both valid
    assertThat(second.get(0).kmsSignature()).isNotEqualTo(first.get(0).kmsSignature());
  }

  @Test
  void everyHashedFieldChangesTheHash() {
    UnsignedEntry u = unsigned2();
    String base = LedgerEntryCodec.eventHash(u);
    List<UnsignedEntry> variants = List.of(
        new UnsignedEntry(3, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), u.actor(), u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId() + "x", u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), u.actor(), u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId() + "x", u.mandateId(), u.eventType(), u.timestamp(), u.actor(), u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), "mdt_x", u.eventType(), u.timestamp(), u.actor(), u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), "VERIFICATION_ALLOWED", u.timestamp(), u.actor(), u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp().plusMillis(1), u.actor(), u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), "{\"id\":\"key_01JKWSKS80T4V6W8Y0Z2A4C6E8\",\"type\":\"system\"}", u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), u.actor(), "{\"amount\":1.51,\"reason_codes\":[\"NO_MATCHING_MANDATE\"]}", u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), u.actor(), u.details(), "1".repeat(64), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), u.actor(), u.details(), u.previousEventHash(), "other", u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), u.actor(), u.details(), u.previousEventHash(), u.keyId(), "SHA-512", u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), u.actor(), u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), "ES384"));
    assertThat(variants).extracting(LedgerEntryCodec::eventHash).doesNotContain(base).doesNotHaveDuplicates();
  }

  @Test
  void nullMandateIsWrittenAsNull_notLeftOut() {
    assertThat(LedgerEntryCodec.canonicalJson(unsigned2())).contains("\"mandate_id\":null");
  }

  @Test
  void canonicalObject_followsRfc8785() {
    // member order by UTF-16 code units, no white space, shortest numbers, minimal escapes
    assertThat(LedgerEntryCodec.canonicalObject("{\"b\": 1.0, \"a\": [1e2, -0, 0.1, 1E21], \"\\u00e9\": \"\\u00e9\\n\\u001f\"}"))
        .isEqualTo("{\"a\":[100,0,0.1,1e+21],\"b\":1,\"é\":\"é\\n\\u001f\"}");
    assertThat(LedgerEntryCodec.canonicalObject("{\"\\ud83d\\ude00\":1,\"\\ufb01\":2}"))
        .isEqualTo("{\"😀\":1,\"ﬁ\":2}");
  }

  @Test
  void canonicalObject_isTheLibrarysCanonicalForm() throws Exception {
    for (String json : List.of(
        "{\"b\": 1.0, \"a\": [1e2, -0, 0.1, 1E21, 5e-7, 123456789012345678], \"c\": {\"z\": null, \"y\": [true, false]}}",
        "{\"note\": \"Zone EG \u2013 Gr\u00f6\u00dfe 42\", \"\u20ac\": \"\\\\ \\\" \\t \u007f \u2028\"}",
        Trails.event("tnt_X", 3).details(),
        "{}")) {
      String viaLibrary = new org.erdtman.jcs.JsonCanonicalizer(
          LedgerJson.mapper().writeValueAsString(LedgerJson.mapper().readTree(json))).getEncodedString();
      assertThat(LedgerEntryCodec.canonicalObject(json)).as(json).isEqualTo(viaLibrary);
    }
  }

  @Test
  void encodeCanonical_givesTheBytesOfEncode_forEntriesWithCanonicalActorAndDetails() {
    for (int i = 0; i < 40; i++) {
      PendingEntry p = Trails.event(i % 2 == 0 ? "tnt_A" : "tnt_\u00c4\u00df", i);
      UnsignedEntry unsigned = new UnsignedEntry(i + 1, p.eventId(), p.tenantId(), p.mandateId(), p.eventType(),
          p.timestamp(), p.actor(), p.details(), i == 0 ? LedgerFormat.GENESIS_HASH : "a".repeat(64), KID,
          "SHA-256", i % 3 == 0 ? "ES256" : "ES256-MERKLE");
      assertThat(LedgerEntryCodec.encodeCanonical(unsigned)).as("entry %d", i)
          .isEqualTo(LedgerEntryCodec.encode(unsigned));
    }
    // mandate_id null, non-ASCII text, the worked example's entries
    assertThat(LedgerEntryCodec.encodeCanonical(unsigned2())).isEqualTo(LedgerEntryCodec.encode(unsigned2()));
    assertThat(LedgerEntryCodec.encodeCanonical(unsigned1())).isEqualTo(LedgerEntryCodec.encode(unsigned1()));
  }

  @Test
  void canonicalObject_refusesWhatIsNotAJsonObject() {
    assertThatThrownBy(() -> LedgerEntryCodec.canonicalObject("[1]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerEntryCodec.canonicalObject("{\"a\":1} {}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerEntryCodec.canonicalObject("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerEntryCodec.canonicalObject("{\"a\":1e400}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerEntryCodec.canonicalObject("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exportLineRoundTrips_andIsHashedVerbatim() throws Exception {
    TestSigner signer = TestSigner.generate();
    LedgerEntry entry = EntrySealer.seal(ChainHead.empty("tnt_R"), Trails.event("tnt_R", 3), signer);
    String line = LedgerJson.toJsonLine(entry);
    assertThat(LedgerJson.fromJsonLine(line)).isEqualTo(entry);
    var fields = LedgerEntryCodec.hashedFieldsOf(LedgerJson.mapper().readTree(line));
    assertThat(LedgerFormat.hex(LedgerFormat.sha256(LedgerEntryCodec.encodeHashedFields(fields))))
        .isEqualTo(entry.eventHash());
    assertThat(fields.size()).isEqualTo(12);
  }

  @Test
  void pendingEntry_normalisesAndValidates() {
    PendingEntry p = new PendingEntry("evt_1", "tnt_1", null, "TENANT_REGISTERED",
        Instant.parse("2025-01-01T00:00:00.123456789Z"), "{\"type\":\"system\"}", "{}");
    assertThat(p.timestamp()).isEqualTo(Instant.parse("2025-01-01T00:00:00.123Z"));
    assertThatThrownBy(() -> new PendingEntry("evt_1", "tnt_1", null, "mandate_created", Trails.T0, "{}", "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventType");
    assertThatThrownBy(() -> new PendingEntry("", "tnt_1", null, "X", Trails.T0, "{}", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PendingEntry("evt_1", "tnt_1", "", "X", Trails.T0, "{}", "{}"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PendingEntry("evt_1", "tnt_1", null, "X", Trails.T0, "\"actor\"", "{}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("object");
    assertThat(PendingEntry.of("evt_1", "tnt_1", null, "X", Trails.T0,
        java.util.Map.of("type", "api_key", "id", "key_1"), java.util.Map.of()).actor())
        .isEqualTo("{\"id\":\"key_1\",\"type\":\"api_key\"}");
  }
}
