package com.mandateregistry.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A published signing key: its id, algorithm, public key and the period in which it signed.
 *
 * <p>Invariants, checked on construction: the algorithm is {@code ES256}, the key is EC P-256, the
 * key id is the key's RFC 7638 thumbprint ({@link KeyIds#thumbprint}), and {@code retiredAt}, if
 * present, is not before {@code notBefore}. Both instants are truncated to whole seconds, because JWK
 * and X.509 carry whole seconds; that keeps a JWK round trip equal.
 *
 * <p>JWK form ({@link #toJwk()}): {@code kty=EC, crv=P-256, x, y, kid, alg=ES256, use=sig}, with
 * {@code nbf} = {@code notBefore} and, for a retired key, {@code exp} = {@code retiredAt}, both as
 * seconds since the epoch. {@code [nbf, exp)} is the period in which the key made signatures; a
 * retired key still verifies what it signed before {@code exp}.
 *
 * @param keyId the RFC 7638 thumbprint of {@code publicKey}
 * @param algorithm always {@value Signatures#ES256}
 * @param publicKey the EC P-256 public key
 * @param notBefore when the key started signing
 * @param retiredAt when the key stopped signing, or {@code null} for the current key
 */
public record PublicKeyInfo(
    String keyId, String algorithm, PublicKey publicKey, Instant notBefore, Instant retiredAt) {

  public PublicKeyInfo {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(notBefore, "notBefore");
    if (!Signatures.ES256.equals(algorithm)) {
      throw new IllegalArgumentException("only ES256 is supported, got " + algorithm);
    }
    String thumbprint = KeyIds.thumbprint(publicKey);
    if (!thumbprint.equals(keyId)) {
      throw new IllegalArgumentException(
          "key id " + keyId + " is not the RFC 7638 thumbprint of its key (" + thumbprint + ")");
    }
    notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
    if (retiredAt != null) {
      // up, not down: entries signed earlier in the second it was retired in stay within its life
      Instant whole = retiredAt.truncatedTo(ChronoUnit.SECONDS);
      retiredAt = whole.equals(retiredAt) ? whole : whole.plusSeconds(1);
      if (retiredAt.isBefore(notBefore)) {
        throw new IllegalArgumentException("retiredAt " + retiredAt + " is before notBefore " + notBefore);
      }
    }
  }

  /** A current (not retired) ES256 key, with its id computed from the key. */
  public static PublicKeyInfo current(PublicKey publicKey, Instant notBefore) {
    return new PublicKeyInfo(KeyIds.thumbprint(publicKey), Signatures.ES256, publicKey, notBefore, null);
  }

  /** This key, retired at {@code at}. */
  public PublicKeyInfo retire(Instant at) {
    return new PublicKeyInfo(keyId, algorithm, publicKey, notBefore, Objects.requireNonNull(at, "at"));
  }

  /** {@code retiredAt} as an Optional: empty for the current key. */
  public Optional<Instant> retiredAtIfAny() {
    return Optional.ofNullable(retiredAt);
  }

  /** Whether the key has stopped signing. */
  public boolean isRetired() {
    return retiredAt != null;
  }

  /** A verifier for signatures made by this key. */
  public SignatureVerifier verifier() {
    return new EcdsaVerifier(publicKey);
  }

  /** The public JWK for this key; see the class comment for its members. */
  public ECKey toJwk() {
    ECKey.Builder builder =
        new ECKey.Builder(Curve.P_256, (ECPublicKey) publicKey)
            .keyID(keyId)
            .algorithm(JWSAlgorithm.ES256)
            .keyUse(KeyUse.SIGNATURE)
            .notBeforeTime(Date.from(notBefore));
    if (retiredAt != null) {
      builder.expirationTime(Date.from(retiredAt));
    }
    return builder.build();
  }

  /** The public JWK as a JSON object (for Jackson or any JSON writer). */
  public Map<String, Object> toJwkJson() {
    return toJwk().toJSONObject();
  }

  /** The public JWK as a JSON string. */
  public String toJwkJsonString() {
    return toJwk().toJSONString();
  }

  /**
   * Reads a key back from its public JWK JSON, as an offline verifier does.
   *
   * @throws InvalidKeyException if the JSON is malformed, holds private key material, is not an
   *     EC P-256 key, names another algorithm or use, or has a {@code kid} that is not the key's
   *     RFC 7638 thumbprint
   * @see #fromJwk(JWK)
   */
  public static PublicKeyInfo fromJwkJson(String json) throws InvalidKeyException {
    Objects.requireNonNull(json, "json");
    try {
      return fromJwk(JWK.parse(json));
    } catch (ParseException e) {
      throw new InvalidKeyException("not a valid JWK: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a key back from a public JWK. {@code kid} is required; {@code alg} and {@code use}, when
   * present, must be {@code ES256} and {@code sig}; a missing {@code nbf} reads as the epoch.
   *
   * @throws InvalidKeyException see {@link #fromJwkJson(String)}
   */
  public static PublicKeyInfo fromJwk(JWK jwk) throws InvalidKeyException {
    Objects.requireNonNull(jwk, "jwk");
    if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
      throw new InvalidKeyException("not an EC P-256 JWK: kty=" + jwk.getKeyType());
    }
    if (jwk.isPrivate()) {
      throw new InvalidKeyException("refusing a JWK that holds private key material");
    }
    if (jwk.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(jwk.getAlgorithm())) {
      throw new InvalidKeyException("JWK alg is " + jwk.getAlgorithm() + ", want ES256");
    }
    if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
      throw new InvalidKeyException("JWK use is " + jwk.getKeyUse() + ", want sig");
    }
    if (jwk.getKeyID() == null) {
      throw new InvalidKeyException("JWK has no kid");
    }
    try {
      Instant notBefore =
          jwk.getNotBeforeTime() == null ? Instant.EPOCH : jwk.getNotBeforeTime().toInstant();
      Instant retiredAt =
          jwk.getExpirationTime() == null ? null : jwk.getExpirationTime().toInstant();
      return new PublicKeyInfo(
          jwk.getKeyID(), Signatures.ES256, ec.toECPublicKey(), notBefore, retiredAt);
    } catch (JOSEException | IllegalArgumentException e) {
      throw new InvalidKeyException("invalid ES256 JWK: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "PublicKeyInfo[keyId=" + keyId + ", algorithm=" + algorithm + ", notBefore=" + notBefore
        + ", retiredAt=" + retiredAt + "]";
  }
}
