package com.mandateregistry.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.SignatureException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationKeysTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void publicKeys_areOrderedCurrentFirstThenNewestRetired() throws Exception {
    PublicKeyInfo oldest = key(T0).retire(T0.plusSeconds(10));
    PublicKeyInfo middle = key(T0.plusSeconds(10)).retire(T0.plusSeconds(20));
    PublicKeyInfo current = key(T0.plusSeconds(20));

    VerificationKeys keys = VerificationKeys.of(List.of(oldest, current, middle));

    assertThat(keys.publicKeys()).containsExactly(current, middle, oldest);
  }

  @Test
  void of_rejectsDuplicatesAndTwoCurrentKeys() throws Exception {
    PublicKeyInfo a = key(T0);

    assertThatThrownBy(() -> VerificationKeys.of(List.of(a, a.retire(T0.plusSeconds(1)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> VerificationKeys.of(List.of(a, key(T0))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("current");
  }

  @Test
  void verify_routesByKeyId_andRejectsOtherAlgorithms() throws Exception {
    KeyPair pair = EcdsaVerifierTest.p256();
    PublicKeyInfo info = PublicKeyInfo.current(pair.getPublic(), T0).retire(T0.plusSeconds(5));
    VerificationKeys keys = VerificationKeys.of(List.of(info, key(T0.plusSeconds(5))));
    byte[] data = {7};
    byte[] der = EcdsaVerifierTest.sign(pair, data);

    keys.verify(new KeyedSignature(info.keyId(), "ES256", der), data);
    assertThatThrownBy(() -> keys.verify(new KeyedSignature(info.keyId(), "ES384", der), data))
        .isInstanceOf(SignatureException.class).hasMessageContaining("ES384");
    assertThatThrownBy(() -> keys.verify(new KeyedSignature("nope", "ES256", der), data))
        .isInstanceOf(UnknownKeyException.class)
        .satisfies(e -> assertThat(((UnknownKeyException) e).keyId()).isEqualTo("nope"));
  }

  @Test
  void jwkSet_roundTrip() throws Exception {
    VerificationKeys keys = VerificationKeys.of(List.of(key(T0).retire(T0.plusSeconds(1)), key(T0.plusSeconds(1))));

    String json = JSONObjectUtils.toJSONString(keys.toJwkSetJson());

    assertThat(VerificationKeys.fromJwkSetJson(json).publicKeys()).isEqualTo(keys.publicKeys());
    assertThatThrownBy(() -> VerificationKeys.fromJwkSetJson("{\"keys\":7}")).isInstanceOf(InvalidKeyException.class);
  }

  private static PublicKeyInfo key(Instant notBefore) throws Exception {
    return PublicKeyInfo.current(EcdsaVerifierTest.p256().getPublic(), notBefore);
  }
}
