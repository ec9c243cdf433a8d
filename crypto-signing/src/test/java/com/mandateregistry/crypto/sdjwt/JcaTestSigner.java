package com.mandateregistry.crypto.sdjwt;

import com.mandateregistry.crypto.KeyIds;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.PublicKeyInfo;
import com.mandateregistry.crypto.Signatures;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;

/** TEST-ONLY HELPER: an in-memory ES256 {@link Signer} on a fresh JCA P-256 key pair. */
public final class JcaTestSigner implements Signer {

  private final KeyPair keyPair;
  private final String keyId;

  public JcaTestSigner() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      keyPair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    keyId = KeyIds.thumbprint(keyPair.getPublic());
  }

  /** This signer's public key, current since {@code notBefore}. */
  public PublicKeyInfo publicKeyInfo(Instant notBefore) {
    return PublicKeyInfo.current(keyPair.getPublic(), notBefore);
  }

  /** A directory of this signer and its key. */
  public SigningKeys signingKeys() {
    return SigningKeys.of(this, List.of(publicKeyInfo(Instant.parse("2026-01-01T00:00:00Z"))));
  }

  @Override
  public KeyedSignature sign(byte[] data) throws SigningException {
    try {
      Signature ecdsa = Signature.getInstance("SHA256withECDSA");
      ecdsa.initSign(keyPair.getPrivate());
      ecdsa.update(data);
      return new KeyedSignature(keyId, Signatures.ES256, ecdsa.sign());
    } catch (GeneralSecurityException e) {
      throw new SigningException("test signer failed", e);
    }
  }

  @Override
  public String keyId() {
    return keyId;
  }
}
