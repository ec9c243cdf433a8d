package com.mandateregistry.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Signer} (with its {@link SigningKeys} directory) must meet. Each
 * implementation's test extends this class and says how to make a fresh, independent key.
 */
public abstract class SignerContractTest {

  private static final byte[] DATA = "mandate mdt_01J0000000000000000000000 revoked".getBytes(StandardCharsets.UTF_8);

  protected SigningKeys keys;
  protected Signer signer;

  /** A new directory with a new key of its own, independent of every earlier one. */
  protected abstract SigningKeys newSigningKeys() throws Exception;

  @BeforeEach
  void createSigner() throws Exception {
    keys = newSigningKeys();
    signer = keys.currentSigner();
  }

  @Test
  public void signature_verifiesWithThePublishedKey() throws Exception {
    KeyedSignature signature = signer.sign(DATA);

    new EcdsaVerifier(published(signature.keyId()).publicKey()).verify(signature.der(), DATA);
    keys.verify(signature, DATA);
  }

  @Test
  public void signature_overTamperedData_doesNotVerify() throws Exception {
    KeyedSignature signature = signer.sign(DATA);
    byte[] tampered = DATA.clone();
    tampered[tampered.length - 1] ^= 0x01;

    SignatureVerifier verifier = new EcdsaVerifier(published(signature.keyId()).publicKey());
    assertThatThrownBy(() -> verifier.verify(signature.der(), tampered))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  public void tamperedSignature_doesNotVerify() throws Exception {
    KeyedSignature signature = signer.sign(DATA);
    byte[] der = signature.der();
    der[der.length - 1] ^= 0x01;

    SignatureVerifier verifier = new EcdsaVerifier(published(signature.keyId()).publicKey());
    assertThatThrownBy(() -> verifier.verify(der, DATA)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  public void signature_doesNotVerifyWithAnotherKey() throws Exception {
    SigningKeys otherKeys = newSigningKeys();
    KeyedSignature signature = signer.sign(DATA);

    assertThat(otherKeys.currentSigner().keyId()).isNotEqualTo(signer.keyId());
    SignatureVerifier otherImplementationKey =
        new EcdsaVerifier(otherKeys.publicKey(otherKeys.currentSigner().keyId()).publicKey());
    assertThatThrownBy(() -> otherImplementationKey.verify(signature.der(), DATA))
        .isInstanceOf(GeneralSecurityException.class);
    SignatureVerifier freshJcaKey = new EcdsaVerifier(freshP256PublicKey());
    assertThatThrownBy(() -> freshJcaKey.verify(signature.der(), DATA))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> otherKeys.verify(signature, DATA))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining(signature.keyId());
  }

  @Test
  public void keyIdInSignature_isTheSignersKeyId_andThePublishedKeysThumbprint() throws Exception {
    KeyedSignature signature = signer.sign(DATA);

    assertThat(signature.keyId()).isEqualTo(signer.keyId());
    assertThat(signature.algorithm()).isEqualTo("ES256");
    PublicKeyInfo key = published(signature.keyId());
    assertThat(key.isRetired()).isFalse();
    assertThat(key.algorithm()).isEqualTo("ES256");
    assertThat(KeyIds.thumbprint(key.publicKey())).isEqualTo(signature.keyId());
    assertThat(keys.publicKeys().get(0)).isEqualTo(key);
  }

  @Test
  public void oneMebibyteInput_signsAndVerifies() throws Exception {
    byte[] large = new byte[1 << 20];
    new Random(42).nextBytes(large);

    KeyedSignature signature = signer.sign(large);

    keys.verify(signature, large);
    large[123_456] ^= 0x10;
    assertThatThrownBy(() -> keys.verify(signature, large)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  public void emptyInput_signsAndVerifies() throws Exception {
    KeyedSignature signature = signer.sign(new byte[0]);

    keys.verify(signature, new byte[0]);
  }

  @Test
  public void signature_transcodedToConcat_verifiesAsEs256Jws() throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signer.keyId()).build();
    Payload payload = new Payload("{\"sub\":\"agent-7\",\"scope\":\"invoices:read\"}");
    String signingInput = header.toBase64URL() + "." + payload.toBase64URL();

    KeyedSignature signature = signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    byte[] concat = Signatures.derToConcat(signature.der(), Signatures.ES256_CONCAT_LENGTH);
    String compact = signingInput + "." + Base64URL.encode(concat);

    assertThat(concat).hasSize(64);
    JWSObject jws = JWSObject.parse(compact);
    assertThat(jws.getHeader().getKeyID()).isEqualTo(signature.keyId());
    PublicKeyInfo key = published(jws.getHeader().getKeyID());
    assertThat(jws.verify(new ECDSAVerifier(key.toJwk()))).isTrue();
    assertThat(Signatures.concatToDer(concat)).isEqualTo(signature.der());
  }

  @Test
  public void publishedJwkSet_readBackOffline_verifiesTheSignature() throws Exception {
    KeyedSignature signature = signer.sign(DATA);
    String jwks = com.nimbusds.jose.util.JSONObjectUtils.toJSONString(keys.toJwkSetJson());

    VerificationKeys offline = VerificationKeys.fromJwkSetJson(jwks);

    assertThat(offline.publicKeys()).isEqualTo(keys.publicKeys());
    offline.verify(signature, DATA);
  }

  @Test
  public void concurrentSignatures_allVerify() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<KeyedSignature>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        byte[] data = ("entry " + i).getBytes(StandardCharsets.UTF_8);
        futures.add(pool.submit(() -> signer.sign(data)));
      }
      for (int i = 0; i < futures.size(); i++) {
        keys.verify(futures.get(i).get(), ("entry " + i).getBytes(StandardCharsets.UTF_8));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void unknownKeyId_isAClearError() {
    assertThatThrownBy(() -> keys.verifier("no-such-key"))
        .isInstanceOf(UnknownKeyException.class)
        .hasMessageContaining("no-such-key")
        .hasMessageContaining(signer.keyId());
    assertThatCode(() -> keys.verifier(signer.keyId())).doesNotThrowAnyException();
  }

  private PublicKeyInfo published(String keyId) throws UnknownKeyException {
    return keys.publicKey(keyId);
  }

  protected static PublicKey freshP256PublicKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair().getPublic();
  }
}
