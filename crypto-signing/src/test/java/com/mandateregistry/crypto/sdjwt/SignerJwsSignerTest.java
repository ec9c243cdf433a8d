package com.mandateregistry.crypto.sdjwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignerJwsSignerTest {

  private final JcaTestSigner signer = new JcaTestSigner();

  @Test
  void es256Jws_signedThroughThePort_verifiesWithNimbus() throws Exception {
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES256), new Payload("{\"a\":1}"));

    jws.sign(new SignerJwsSigner(signer));

    assertThat(JWSObject.parse(jws.serialize()).verify(new ECDSAVerifier(signer.publicKeyInfo(Instant.EPOCH).toJwk())))
        .isTrue();
  }

  @Test
  void anotherAlgorithm_isRefused() {
    JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.ES384), new Payload("{}"));

    assertThatThrownBy(() -> new SignerJwsSigner(signer).sign(jws.getHeader(), new byte[] {1}))
        .isInstanceOf(JOSEException.class);
  }
}
