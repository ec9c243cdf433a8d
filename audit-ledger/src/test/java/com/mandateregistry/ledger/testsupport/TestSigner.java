package com.mandateregistry.ledger.testsupport;

import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.SignatureVerifier;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.ledger.format.LedgerKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only helper: an in-memory ECDSA P-256 {@link Signer} on plain JCA (SunEC), standing in for
 * crypto-signing's local and KMS signers. Its key id is the RFC 7638 thumbprint of its public JWK,
 * as crypto-signing's signers use. It can be told to fail, like an unreachable KMS.
 */
public final class TestSigner implements Signer {

  private final KeyPair keyPair;
  private final String keyId;
  private final AtomicInteger failuresToThrow = new AtomicInteger();
  private final AtomicInteger signatures = new AtomicInteger();

  private TestSigner(KeyPair keyPair) {
    this.keyPair = keyPair;
    this.keyId = LedgerKey.of((ECPublicKey) keyPair.getPublic(), null, null).keyId();
  }

  /** A signer with a fresh random key. */
  public static TestSigner generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return new TestSigner(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A signer with a fixed key (PKCS#8 private, X.509 SubjectPublicKeyInfo public, DER). */
  public static TestSigner fromDer(byte[] pkcs8, byte[] spki) {
    try {
      KeyFactory factory = KeyFactory.getInstance("EC");
      return new TestSigner(new KeyPair(
          factory.generatePublic(new X509EncodedKeySpec(spki)),
          factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public KeyedSignature sign(byte[] data) throws SigningException {
    if (failuresToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SigningException("test signer: signing service unavailable");
    }
    try {
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(keyPair.getPrivate());
      signature.update(data);
      signatures.incrementAndGet();
      return new KeyedSignature(keyId, "ES256", signature.sign());
    } catch (GeneralSecurityException e) {
      throw new SigningException("test signer failed", e);
    }
  }

  @Override
  public String keyId() {
    return keyId;
  }

  /** Makes the next {@code count} calls of {@link #sign} throw {@link SigningException}. */
  public void failNext(int count) {
    failuresToThrow.set(count);
  }

  /** Signatures made so far. */
  public int signatureCount() {
    return signatures.get();
  }

  public ECPublicKey publicKey() {
    return (ECPublicKey) keyPair.getPublic();
  }

  public PrivateKey privateKey() {
    return keyPair.getPrivate();
  }

  /** The public key as a ledger key, in service from {@code notBefore}. */
  public LedgerKey ledgerKey(Instant notBefore) {
    return LedgerKey.of(publicKey(), notBefore, null);
  }

  /** The public key as a ledger key without validity. */
  public LedgerKey ledgerKey() {
    return LedgerKey.of(publicKey(), null, null);
  }

  /** A JCA verifier of this key, with crypto-signing's {@link SignatureVerifier} contract. */
  public SignatureVerifier verifier() {
    return (der, data) -> {
      Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initVerify(keyPair.getPublic());
      signature.update(data);
      if (!signature.verify(der)) {
        throw new java.security.SignatureException("signature does not verify");
      }
    };
  }
}
