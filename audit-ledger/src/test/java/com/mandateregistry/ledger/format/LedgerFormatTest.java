package com.mandateregistry.ledger.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.ledger.testsupport.TestSigner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Timestamps, encodings and keys of the ledger format (v1's, kept by v2). */
class LedgerFormatTest {

  @Test
  void timestamps_haveExactlyThreeFractionalDigits() {
    assertThat(LedgerFormat.formatTimestamp(Instant.parse("2025-03-01T09:30:00Z"))).isEqualTo("2025-03-01T09:30:00.000Z");
    assertThat(LedgerFormat.formatTimestamp(Instant.parse("0001-01-01T00:00:00.5Z"))).isEqualTo("0001-01-01T00:00:00.500Z");
    assertThat(LedgerFormat.parseTimestamp("2025-03-01T09:30:00.120Z")).isEqualTo(Instant.parse("2025-03-01T09:30:00.120Z"));
    assertThatThrownBy(() -> LedgerFormat.formatTimestamp(Instant.parse("2025-03-01T09:30:00.000001Z")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerFormat.formatTimestamp(Instant.parse("+10000-01-01T00:00:00Z")))
        .isInstanceOf(IllegalArgumentException.class);
    for (String bad : List.of("2025-03-01T09:30:00Z", "2025-03-01T09:30:00.12Z", "2025-03-01T09:30:00.120+00:00",
        "2025-03-01 09:30:00.120Z", "2025-02-30T09:30:00.120Z", "2025-03-01T24:00:00.000Z", "2025-03-01t09:30:00.120z")) {
      assertThatThrownBy(() -> LedgerFormat.parseTimestamp(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void base64Url_isUnpaddedAndCanonical() {
    assertThat(LedgerFormat.base64Url(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("-_8");
    assertThat(LedgerFormat.unbase64Url("-_8")).containsExactly(0xfb, 0xff);
    assertThatThrownBy(() -> LedgerFormat.unbase64Url("-_8=")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerFormat.unbase64Url("+/8")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LedgerFormat.unbase64Url("-_9")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hashes_areLowercaseHex() {
    assertThat(LedgerFormat.isHash(LedgerFormat.GENESIS_HASH)).isTrue();
    assertThat(LedgerFormat.isHash("A".repeat(64))).isFalse();
    assertThat(LedgerFormat.isHash("a".repeat(63))).isFalse();
  }

  @Test
  void keyId_isTheRfc7638Thumbprint_andAForeignKidIsRefused() {
    TestSigner signer = TestSigner.generate();
    LedgerKey key = signer.ledgerKey(Instant.parse("2025-01-01T00:00:00.700Z"));
    Map<String, Object> jwk = key.toJwk();
    String thumbprintInput = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + jwk.get("x") + "\",\"y\":\"" + jwk.get("y") + "\"}";
    assertThat(key.keyId()).isEqualTo(LedgerFormat.base64Url(LedgerFormat.sha256(thumbprintInput.getBytes())));
    assertThat(jwk).containsEntry("kid", key.keyId()).containsEntry("alg", "ES256").containsEntry("use", "sig")
        .containsEntry("nbf", 1735689600L).doesNotContainKey("d").doesNotContainKey("exp");

    LedgerKey parsed = LedgerKey.fromJwk(key.toJwkJson());
    assertThat(parsed).isEqualTo(key);
    assertThat(parsed.notBefore()).contains(Instant.parse("2025-01-01T00:00:00Z"));

    String foreignKid = key.toJwkJson().replace(key.keyId(), TestSigner.generate().keyId());
    assertThatThrownBy(() -> LedgerKey.fromJwk(foreignKid)).hasMessageContaining("thumbprint");
    assertThatThrownBy(() -> LedgerKey.fromJwk(key.toJwkJson().replace("\"ES256\"", "\"ES384\"")))
        .hasMessageContaining("ES256");
  }

  @Test
  void retirement_isCheckedAgainstTheEventTime() {
    TestSigner signer = TestSigner.generate();
    LedgerKey key = LedgerKey.of(signer.publicKey(), Instant.parse("2025-01-01T00:00:00Z"),
        Instant.parse("2025-06-01T00:00:00.200Z"));
    assertThat(key.notAfter()).contains(Instant.parse("2025-06-01T00:00:01Z"));
    assertThat(key.retiredBefore(Instant.parse("2025-06-01T00:00:00.900Z"))).isFalse();
    assertThat(key.retiredBefore(Instant.parse("2025-06-01T00:00:01.001Z"))).isTrue();
    // nbf is informational: a rebuilt ledger signs old events with a newer key
    assertThat(key.retiredBefore(Instant.parse("2020-01-01T00:00:00Z"))).isFalse();
    LedgerKey parsed = LedgerKeySet.parse(LedgerKeySet.of(List.of(key)).toJwkSet().toString()).find(key.keyId()).orElseThrow();
    assertThat(parsed.notAfter()).isEqualTo(key.notAfter());
  }

  @Test
  void keySets_refusePrivateKeysAndDuplicates() throws Exception {
    TestSigner signer = TestSigner.generate();
    String privateJwk = new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256, signer.publicKey())
        .privateKey(signer.privateKey()).build().toJSONString();
    assertThatThrownBy(() -> LedgerKey.fromJwk(privateJwk)).hasMessageContaining("private");
    String jwk = signer.ledgerKey().toJwkJson();
    assertThatThrownBy(() -> LedgerKeySet.parse("{\"keys\":[" + jwk + "," + jwk + "]}")).hasMessageContaining("twice");
    assertThatThrownBy(() -> LedgerKeySet.parse("{\"kids\":[]}")).hasMessageContaining("keys");
    assertThat(LedgerKeySet.parse("[" + jwk + "]").keys()).hasSize(1);
  }

  @Test
  void exportHeader_roundTrips() {
    TestSigner signer = TestSigner.generate();
    ExportHeader header = new ExportHeader("tnt_1", Instant.parse("2025-03-02T00:00:00.001Z"), "api",
        LedgerKeySet.of(List.of(signer.ledgerKey())));
    ExportHeader parsed = ExportHeader.parse(header.toJsonLine());
    assertThat(parsed.tenantId()).isEqualTo("tnt_1");
    assertThat(parsed.source()).isEqualTo("api");
    assertThat(parsed.keys().find(signer.keyId())).isPresent();
    assertThatThrownBy(() -> ExportHeader.parse("{\"format\":\"something-else\"}")).hasMessageContaining("not a ledger export");
  }
}
