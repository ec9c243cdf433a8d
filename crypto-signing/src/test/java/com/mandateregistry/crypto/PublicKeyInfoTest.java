package com.mandateregistry.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PublicKeyInfoTest {

  private static final Instant NOT_BEFORE = Instant.parse("2026-03-01T12:00:00Z");
  private static final Instant RETIRED = Instant.parse("2026-06-01T12:00:00Z");

  @Test
  void keyId_isTheRfc7638Thumbprint_knownAnswer() throws Exception {
    // printf '{"crv":"P-256","kty":"EC","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}' \
    //   | openssl dgst -sha256 -binary | basenc --base64url | tr -d '='
    PublicKey key = ECKey.parse(EcdsaVerifierTest.RFC7515_A3_JWK).toECPublicKey();

    assertThat(KeyIds.thumbprint(key)).isEqualTo("oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U");
    assertThat(PublicKeyInfo.current(key, NOT_BEFORE).keyId()).isEqualTo("oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U");
  }

  @Test
  void toJwkJson_hasThePublishedMembers_andNoPrivateOnes() throws Exception {
    PublicKeyInfo info = PublicKeyInfo.current(EcdsaVerifierTest.p256().getPublic(), NOT_BEFORE).retire(RETIRED);

    Map<String, Object> json = info.toJwkJson();

    assertThat(json).containsEntry("kty", "EC").containsEntry("crv", "P-256")
        .containsEntry("kid", info.keyId()).containsEntry("alg", "ES256").containsEntry("use", "sig")
        .containsEntry("nbf", NOT_BEFORE.getEpochSecond()).containsEntry("exp", RETIRED.getEpochSecond())
        .containsKeys("x", "y").doesNotContainKey("d");
    assertThat(PublicKeyInfo.current(info.publicKey(), NOT_BEFORE).toJwkJson()).doesNotContainKey("exp");
  }

  @Test
  void jwkJson_roundTrip_givesAnEqualKeyThatVerifies() throws Exception {
    KeyPair pair = EcdsaVerifierTest.p256();
    PublicKeyInfo info = PublicKeyInfo.current(pair.getPublic(), Instant.parse("2026-03-01T12:00:00.789Z")).retire(RETIRED);
    byte[] data = {4, 2};

    PublicKeyInfo read = PublicKeyInfo.fromJwkJson(info.toJwkJsonString());

    assertThat(read).isEqualTo(info);
    assertThat(read.notBefore()).isEqualTo(NOT_BEFORE);
    read.verifier().verify(EcdsaVerifierTest.sign(pair, data), data);
  }

  /**
   * A key retired within a second is published as retired at the next whole second: an entry it
   * signed earlier in that second stays within its life. Rounded down, the verifier refused such a
   * genuine entry as KEY_RETIRED (found by a code review of the ledger).
   */
  @Test
  void aRetirementWithinASecond_isRoundedUp_aWholeSecondStays() throws Exception {
    PublicKeyInfo key = PublicKeyInfo.current(EcdsaVerifierTest.p256().getPublic(), NOT_BEFORE);

    assertThat(key.retire(Instant.parse("2026-03-01T12:00:10.900Z")).retiredAt())
        .isEqualTo(Instant.parse("2026-03-01T12:00:11Z"));
    assertThat(key.retire(Instant.parse("2026-03-01T12:00:10Z")).retiredAt())
        .isEqualTo(Instant.parse("2026-03-01T12:00:10Z"));
  }

  @Test
  void fromJwkJson_withoutNbf_readsAsEpoch() throws Exception {
    String jwk = EcdsaVerifierTest.RFC7515_A3_JWK.replace("}", ",\"kid\":\"oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U\"}");

    assertThat(PublicKeyInfo.fromJwkJson(jwk).notBefore()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void fromJwkJson_rejectsBadKeys() throws Exception {
    KeyPair pair = EcdsaVerifierTest.p256();
    ECKey good = PublicKeyInfo.current(pair.getPublic(), NOT_BEFORE).toJwk();
    ECKey withPrivate = new ECKey.Builder(good).privateKey(pair.getPrivate()).build();
    String wrongKid = good.toJSONString().replace(good.getKeyID(), "some-other-id");
    String noKid = new ECKey.Builder(good).keyID(null).build().toJSONString();
    String wrongAlg = good.toJSONString().replace("\"ES256\"", "\"ES384\"");
    String encUse = good.toJSONString().replace("\"use\":\"sig\"", "\"use\":\"enc\"");

    assertThatThrownBy(() -> PublicKeyInfo.fromJwkJson(withPrivate.toJSONString()))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("private");
    assertThatThrownBy(() -> PublicKeyInfo.fromJwkJson(wrongKid))
        .isInstanceOf(InvalidKeyException.class).hasMessageContaining("thumbprint");
    assertThatThrownBy(() -> PublicKeyInfo.fromJwkJson(noKid)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> PublicKeyInfo.fromJwkJson(wrongAlg)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> PublicKeyInfo.fromJwkJson(encUse)).isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> PublicKeyInfo.fromJwkJson("{\"kty\":\"oct\",\"k\":\"AAAA\"}"))
        .isInstanceOf(InvalidKeyException.class);
    assertThatThrownBy(() -> PublicKeyInfo.fromJwkJson("not json")).isInstanceOf(InvalidKeyException.class);
  }

  @Test
  void constructor_enforcesItsInvariants() throws Exception {
    PublicKey key = EcdsaVerifierTest.p256().getPublic();
    String keyId = KeyIds.thumbprint(key);

    assertThatThrownBy(() -> new PublicKeyInfo("other", "ES256", key, NOT_BEFORE, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PublicKeyInfo(keyId, "RS256", key, NOT_BEFORE, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PublicKeyInfo(keyId, "ES256", key, NOT_BEFORE, NOT_BEFORE.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
