package com.mandateregistry.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * The key id rule shared by every signer in this module: the RFC 7638 JWK SHA-256 thumbprint of the
 * public key, base64url without padding (43 characters).
 *
 * <p>For a P-256 key the thumbprint is SHA-256 over exactly these bytes (no whitespace, members in
 * this order): {@code {"crv":"P-256","kty":"EC","x":"<x>","y":"<y>"}}, where {@code x} and {@code y}
 * are the base64url coordinates, each 32 bytes left-padded. Anyone holding the public key can
 * recompute the id, for example:
 *
 * <pre>
 * printf '{"crv":"P-256","kty":"EC","x":"…","y":"…"}' | openssl dgst -sha256 -binary | basenc --base64url | tr -d '='
 * </pre>
 *
 * The same rule applies to local keys and AWS KMS keys, so a key id never depends on where the
 * private key lives.
 */
public final class KeyIds {

  private KeyIds() {}

  /**
   * The RFC 7638 thumbprint key id of a P-256 public key.
   *
   * @throws IllegalArgumentException if the key is not an EC P-256 key
   */
  public static String thumbprint(PublicKey publicKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    if (!EcdsaVerifier.isP256(publicKey)) {
      throw new IllegalArgumentException("key ids are defined for EC P-256 keys only");
    }
    try {
      return new ECKey.Builder(Curve.P_256, (ECPublicKey) publicKey)
          .build()
          .computeThumbprint("SHA-256")
          .toString();
    } catch (JOSEException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }
}
