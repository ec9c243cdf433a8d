package com.mandateregistry.crypto;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EcdsaVerifierTest {

  /** RFC 7515 appendix A.3: the ES256 example key (public part) and its JWS. */
  static final String RFC7515_A3_JWK =
      "{\"kty\":\"EC\",\"crv\":\"P-256\","
          + "\"x\":\"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU\","
          + "\"y\":\"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0\"}";
  static final String RFC7515_A3_SIGNING_INPUT =
      "eyJhbGciOiJFUzI1NiJ9"
          + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
  static final String RFC7515_A3_SIGNATURE =
      "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

  @Test
  void rfc7515AppendixA3_jwsSignature_verifiesAfterConcatToDer() throws Exception {
    EcdsaVerifier verifier = new EcdsaVerifier(ECKey.parse(RFC7515_A3_JWK).toECPublicKey());
    byte[] der = Signatures.concatToDer(new Base64URL(RFC7515_A3_SIGNATURE).decode());
    byte[] input = RFC7515_A3_SIGNING_INPUT.getBytes(StandardCharsets.US_ASCII);

    assertThatCode(() -> verifier.verify(der, input)).doesNotThrowAnyException();
    input[0] ^= 1;
    assertThatThrownBy(() -> verifier.verify(der, input)).isInstanceOf(SignatureException.class);
  }

  @Test
  void constructor_rejectsNonP256Keys() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);

    assertThatThrownBy(() -> new EcdsaVerifier(ec.generateKeyPair().getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-384");
    assertThatThrownBy(() -> new EcdsaVerifier(rsa.generateKeyPair().getPublic()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA");
  }

  @Test
  void zeroSignature_isRejected() throws Exception {
    // The "psychic signature" r = s = 0 (CVE-2022-21449): SEQUENCE { INTEGER 0, INTEGER 0 }
    EcdsaVerifier verifier = new EcdsaVerifier(p256().getPublic());

    assertThatThrownBy(() -> verifier.verify(HexFormat.of().parseHex("3006020100020100"), new byte[] {1}))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void nonCanonicalEncodings_areRejected() throws Exception {
    KeyPair pair = p256();
    byte[] data = "data".getBytes(StandardCharsets.US_ASCII);
    byte[] der = sign(pair, data);
    EcdsaVerifier verifier = new EcdsaVerifier(pair.getPublic());
    verifier.verify(der, data);

    byte[] trailing = Arrays.copyOf(der, der.length + 1);
    assertThatThrownBy(() -> verifier.verify(trailing, data)).isInstanceOf(SignatureException.class);
    byte[] concat = Signatures.derToConcat(der);
    assertThatThrownBy(() -> verifier.verify(concat, data)).isInstanceOf(SignatureException.class);
    byte[] longFormLength = new byte[der.length + 1];
    longFormLength[0] = 0x30;
    longFormLength[1] = (byte) 0x81;
    System.arraycopy(der, 1, longFormLength, 2, der.length - 1);
    assertThatThrownBy(() -> verifier.verify(longFormLength, data)).isInstanceOf(SignatureException.class);
  }

  static KeyPair p256() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static byte[] sign(KeyPair pair, byte[] data) throws GeneralSecurityException {
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(pair.getPrivate());
    signature.update(data);
    return signature.sign();
  }
}
