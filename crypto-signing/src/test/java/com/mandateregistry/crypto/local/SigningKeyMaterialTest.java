package com.mandateregistry.crypto.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.Test;

/** The local key's ECDSA: RFC 6979's own test vector, and agreement with the JDK's verifier. */
class SigningKeyMaterialTest {

  private static final BigInteger N = CustomNamedCurves.getByName("secp256r1").getN();

  /** RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample". */
  @Test
  void signsRfc6979KnownAnswer() throws Exception {
    PrivateKey key =
        privateKey(new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16));

    byte[] der = new SigningKeyMaterial(key).sign("sample".getBytes(StandardCharsets.US_ASCII));

    BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(N, der);
    assertThat(rs[0].toString(16)).isEqualToIgnoringCase("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716");
    assertThat(rs[1].toString(16)).isEqualToIgnoringCase("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
  }

  @Test
  void signaturesVerifyWithTheJdk_andAreDeterministic() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    SigningKeyMaterial material = new SigningKeyMaterial(pair.getPrivate());
    for (int i = 0; i < 50; i++) {
      byte[] data = ("entry " + i).getBytes(StandardCharsets.UTF_8);
      byte[] der = material.sign(data);
      Signature jdk = Signature.getInstance("SHA256withECDSA");
      jdk.initVerify(pair.getPublic());
      jdk.update(data);
      assertThat(jdk.verify(der)).as("signature %d", i).isTrue();
      assertThat(material.sign(data)).isEqualTo(der);
      jdk.initVerify(pair.getPublic());
      jdk.update(("entry " + i + "!").getBytes(StandardCharsets.UTF_8));
      assertThat(jdk.verify(der)).as("over other data").isFalse();
    }
  }

  @Test
  void refusesAKeyOfAnotherCurve() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    PrivateKey p384 = generator.generateKeyPair().getPrivate();

    assertThatThrownBy(() -> new SigningKeyMaterial(p384))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("P-256");
  }

  private static PrivateKey privateKey(BigInteger d) throws Exception {
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, spec));
  }
}
