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

  // --- the worked example of docs/ledger-format.md (throwaway key printed there) ---

  static final String KID = "wV_ldkL4dtGTvCSL9MwShHKHrNMVzKzT6cbUqISRwLk";

  static final String PUBLIC_KEY_SPKI_BASE64 =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhZwdim2yfzhCXWmPVLIV97BtI/WT"
          + "EJXBz7wfa1QrMHGRWWqdCxmyXAsYvIsAzx0oT5++/7htjDXLjnfarjoOww==";

  static final String ENTRY1_JCS =
      "{\"actor\":{\"id\":\"key_01JNB6TZ4C6E8G0J2L4N6Q8S0U\",\"type\":\"api_key\"},"
          + "\"details\":{\"delegate\":\"monco:agent:validate-agent-v2\",\"note\":\"Zone EG – Größe 42\","
          + "\"scope\":{\"actions\":[\"construction.validation.approve\"]}},"
          + "\"event_id\":\"evt_01JNB6W3QJ7Y9T3MZ1X4V5C6D7\",\"event_type\":\"MANDATE_CREATED\","
          + "\"hash_algorithm\":\"SHA-256\",\"key_id\":\"" + KID + "\","
          + "\"mandate_id\":\"mdt_01JNB6VAD0F5G7H9J1K3M5N7P9\","
          + "\"previous_event_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\","
          + "\"sequence\":1,\"signing_algorithm\":\"ES256\",\"tenant_id\":\"tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z\","
          + "\"timestamp\":\"2025-03-01T09:30:00.120Z\"}";

  // printf 'mandate-registry/ledger-entry/v1\000%s' "$ENTRY1_JCS" | sha256sum
  static final String ENTRY1_HASH = "3bc10cb2df91fe04b6a6299d97838882ca7671abafd42791a01c3e140ccd2dec";

  // printf '%s' "$ENTRY1_SIG_HEX" | xxd -r -p > sig1.der
  // openssl dgst -sha256 -verify pub.pem -signature sig1.der entry1.bin    -> Verified OK
  static final String ENTRY1_SIG_HEX =
      "3043021f28d184839c4ee2c087f5506640fce8af1d2bbcdb856ad39d09f5ab18b9dc8202203c1d382d83743a43234fab2a5590d4b365d2822e4539cc7e29b72a3fd1d4aacf";

  static final String ENTRY2_JCS =
      "{\"actor\":{\"id\":\"svc_gate\",\"type\":\"service\"},"
          + "\"details\":{\"amount\":1.5,\"reason_codes\":[\"NO_MANDATE\"]},"
          + "\"event_id\":\"evt_01JNB6X0A2C4E6G8J0L2N4Q6S8\",\"event_type\":\"VERIFICATION_DENIED\","
          + "\"hash_algorithm\":\"SHA-256\",\"key_id\":\"" + KID + "\",\"mandate_id\":null,"
          + "\"previous_event_hash\":\"" + ENTRY1_HASH + "\",\"sequence\":2,\"signing_algorithm\":\"ES256\","
          + "\"tenant_id\":\"tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z\",\"timestamp\":\"2025-03-01T09:31:12.005Z\"}";

  // printf 'mandate-registry/ledger-entry/v1\000%s' "$ENTRY2_JCS" | sha256sum
  static final String ENTRY2_HASH = "a05daed30128084e3c461028063540a167fc75ecf2af3a80ecb3e60a5cc216c2";

  static PendingEntry entry1() {
    return new PendingEntry("evt_01JNB6W3QJ7Y9T3MZ1X4V5C6D7", "tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z",
        "mdt_01JNB6VAD0F5G7H9J1K3M5N7P9", "MANDATE_CREATED", Instant.parse("2025-03-01T09:30:00.120Z"),
        // member order and white space do not matter: the encoding is canonical
        "{ \"type\": \"api_key\", \"id\": \"key_01JNB6TZ4C6E8G0J2L4N6Q8S0U\" }",
        "{\"scope\":{\"actions\":[\"construction.validation.approve\"]},"
            + "\"delegate\":\"monco:agent:validate-agent-v2\",\"note\":\"Zone EG \\u2013 Gr\\u00f6\\u00dfe 42\"}");
  }

  static UnsignedEntry unsigned1() {
    PendingEntry p = entry1();
    return new UnsignedEntry(1, p.eventId(), p.tenantId(), p.mandateId(), p.eventType(), p.timestamp(),
        p.actor(), p.details(), LedgerFormat.GENESIS_HASH, KID, "SHA-256", "ES256");
  }

  static UnsignedEntry unsigned2() {
    PendingEntry p = new PendingEntry("evt_01JNB6X0A2C4E6G8J0L2N4Q6S8", "tnt_01JNB6TQ2R8S0Y4K7M9P3W5X6Z", null,
        "VERIFICATION_DENIED", Instant.parse("2025-03-01T09:31:12.005Z"),
        "{\"type\":\"service\",\"id\":\"svc_gate\"}", "{\"reason_codes\":[\"NO_MANDATE\"],\"amount\":1.50}");
    return new UnsignedEntry(2, p.eventId(), p.tenantId(), p.mandateId(), p.eventType(), p.timestamp(),
        p.actor(), p.details(), ENTRY1_HASH, KID, "SHA-256", "ES256");
  }

  @Test
  void knownAnswer_entry1_canonicalJsonBytesAndHash() {
    // printf 'mandate-registry/ledger-entry/v1\000%s' '<ENTRY1_JCS>' | sha256sum
    //   -> 3bc10cb2df91fe04b6a6299d97838882ca7671abafd42791a01c3e140ccd2dec  -
    assertThat(LedgerEntryCodec.canonicalJson(unsigned1())).isEqualTo(ENTRY1_JCS);
    byte[] bytes = LedgerEntryCodec.encode(unsigned1());
    byte[] prefix = "mandate-registry/ledger-entry/v1".getBytes(StandardCharsets.US_ASCII);
    assertThat(Arrays.copyOfRange(bytes, 0, 32)).isEqualTo(prefix);
    assertThat(bytes[32]).isZero();
    assertThat(new String(bytes, 33, bytes.length - 33, StandardCharsets.UTF_8)).isEqualTo(ENTRY1_JCS);
    assertThat(bytes).hasSize(659);
    assertThat(LedgerEntryCodec.eventHash(unsigned1())).isEqualTo(ENTRY1_HASH);
  }

  @Test
  void knownAnswer_entry2_linksToEntry1_andWritesNullMandateAndShortestNumbers() {
    // printf 'mandate-registry/ledger-entry/v1\000%s' '<ENTRY2_JCS>' | sha256sum
    //   -> a05daed30128084e3c461028063540a167fc75ecf2af3a80ecb3e60a5cc216c2  -
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
    // printf '%s' '{"crv":"P-256","kty":"EC","x":"hZwdim2yfzhCXWmPVLIV97BtI_WTEJXBz7wfa1QrMHE",
    //   "y":"kVlqnQsZslwLGLyLAM8dKE-fvv-4bYw1y4532q46DsM"}' | openssl dgst -sha256 -binary | basenc --base64url | tr -d =
    String input = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"hZwdim2yfzhCXWmPVLIV97BtI_WTEJXBz7wfa1QrMHE\","
        + "\"y\":\"kVlqnQsZslwLGLyLAM8dKE-fvv-4bYw1y4532q46DsM\"}";
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
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), "{\"id\":\"svc_gate\",\"type\":\"api_key\"}", u.details(), u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
        new UnsignedEntry(2, u.eventId(), u.tenantId(), u.mandateId(), u.eventType(), u.timestamp(), u.actor(), "{\"amount\":1.51,\"reason_codes\":[\"NO_MANDATE\"]}", u.previousEventHash(), u.keyId(), u.hashAlgorithm(), u.signingAlgorithm()),
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
