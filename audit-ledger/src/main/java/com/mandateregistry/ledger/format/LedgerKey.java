package com.mandateregistry.ledger.format;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A public key that signs ledger entries, published as a JWK: {@code kty} "EC", {@code crv}
 * "P-256", {@code x}, {@code y}, {@code kid}, {@code alg} "ES256", {@code use} "sig", and its
 * validity as {@code nbf} (in service from) and optionally {@code exp} (retired at), both JWT
 * NumericDate seconds.
 *
 * <p>The key id is the RFC 7638 thumbprint of the public JWK, SHA-256, base64url without padding:
 * the base64url SHA-256 of {@code {"crv":"P-256","kty":"EC","x":"…","y":"…"}}. A JWK whose {@code
 * kid} is not its thumbprint is refused, so a substituted key cannot borrow a trusted key id.
 *
 * <p>Validity: a key with {@code exp} cannot have signed an entry whose event happened after {@code
 * exp}. {@code nbf} is informational only, because rebuilding the ledger from the event stream
 * signs old events with the current key.
 */
public final class LedgerKey {

  private final ECKey jwk;
  private final ECPublicKey publicKey;

  private LedgerKey(ECKey jwk, ECPublicKey publicKey) {
    this.jwk = jwk;
    this.publicKey = publicKey;
  }

  /**
   * A ledger key for {@code publicKey}, valid from {@code notBefore} and, when {@code notAfter} is
   * not null, until {@code notAfter}. Times are kept to the second (earlier for nbf, later for exp).
   */
  public static LedgerKey of(ECPublicKey publicKey, Instant notBefore, Instant notAfter) {
    Objects.requireNonNull(publicKey, "publicKey");
    try {
      ECKey.Builder builder =
          new ECKey.Builder(Curve.P_256, publicKey)
              .algorithm(JWSAlgorithm.ES256)
              .keyUse(KeyUse.SIGNATURE);
      if (notBefore != null) {
        builder.notBeforeTime(Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)));
      }
      if (notAfter != null) {
        Instant ceil = notAfter.truncatedTo(ChronoUnit.SECONDS);
        builder.expirationTime(Date.from(ceil.equals(notAfter) ? ceil : ceil.plusSeconds(1)));
      }
      ECKey key = builder.keyIDFromThumbprint().build();
      return new LedgerKey(key, key.toECPublicKey());
    } catch (JOSEException | IllegalArgumentException e) {
      throw new IllegalArgumentException("not a P-256 public key: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a public JWK (JSON text).
   *
   * @throws IllegalArgumentException if it is not an EC P-256 public key, holds private material, or
   *     names a {@code kid} other than its RFC 7638 thumbprint, or an {@code alg} other than ES256
   */
  public static LedgerKey fromJwk(String json) {
    try {
      return fromEcKey(ECKey.parse(json));
    } catch (ParseException e) {
      throw new IllegalArgumentException("not an EC JWK: " + e.getMessage(), e);
    }
  }

  /** As {@link #fromJwk(String)}, from a parsed JSON object. */
  public static LedgerKey fromJwk(Map<String, Object> json) {
    try {
      return fromEcKey(ECKey.parse(json));
    } catch (ParseException e) {
      throw new IllegalArgumentException("not an EC JWK: " + e.getMessage(), e);
    }
  }

  private static LedgerKey fromEcKey(ECKey parsed) {
    if (parsed.isPrivate()) {
      throw new IllegalArgumentException("JWK holds private key material; publish public keys only");
    }
    if (!Curve.P_256.equals(parsed.getCurve())) {
      throw new IllegalArgumentException("JWK curve is " + parsed.getCurve() + ", not P-256");
    }
    if (parsed.getAlgorithm() != null && !JWSAlgorithm.ES256.equals(parsed.getAlgorithm())) {
      throw new IllegalArgumentException("JWK alg is " + parsed.getAlgorithm() + ", not ES256");
    }
    if (parsed.getKeyUse() != null && !KeyUse.SIGNATURE.equals(parsed.getKeyUse())) {
      throw new IllegalArgumentException("JWK use is " + parsed.getKeyUse() + ", not sig");
    }
    try {
      String thumbprint = parsed.computeThumbprint().toString();
      if (parsed.getKeyID() != null && !parsed.getKeyID().equals(thumbprint)) {
        throw new IllegalArgumentException(
            "JWK kid " + parsed.getKeyID() + " is not its RFC 7638 thumbprint " + thumbprint);
      }
      ECKey.Builder builder =
          new ECKey.Builder(parsed.getCurve(), parsed.getX(), parsed.getY())
              .algorithm(JWSAlgorithm.ES256)
              .keyUse(KeyUse.SIGNATURE)
              .keyID(thumbprint);
      if (parsed.getNotBeforeTime() != null) {
        builder.notBeforeTime(parsed.getNotBeforeTime());
      }
      if (parsed.getExpirationTime() != null) {
        builder.expirationTime(parsed.getExpirationTime());
      }
      ECKey key = builder.build();
      return new LedgerKey(key, key.toECPublicKey());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("invalid EC public key: " + e.getMessage(), e);
    }
  }

  /** The RFC 7638 thumbprint, base64url. */
  public String keyId() {
    return jwk.getKeyID();
  }

  public ECPublicKey publicKey() {
    return publicKey;
  }

  /** When the key went into service ({@code nbf}), if published. */
  public Optional<Instant> notBefore() {
    return Optional.ofNullable(jwk.getNotBeforeTime()).map(Date::toInstant);
  }

  /** When the key was retired ({@code exp}), if it was. */
  public Optional<Instant> notAfter() {
    return Optional.ofNullable(jwk.getExpirationTime()).map(Date::toInstant);
  }

  /** Whether the key was retired before {@code eventTime}, so that it cannot have signed that event. */
  public boolean retiredBefore(Instant eventTime) {
    return notAfter().map(eventTime::isAfter).orElse(false);
  }

  /** The public JWK as a JSON object (members as listed in the class comment). */
  public Map<String, Object> toJwk() {
    return jwk.toJSONObject();
  }

  /** The public JWK as JSON text. */
  public String toJwkJson() {
    return jwk.toJSONString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LedgerKey other && toJwk().equals(other.toJwk());
  }

  @Override
  public int hashCode() {
    return keyId().hashCode();
  }

  @Override
  public String toString() {
    return "LedgerKey[kid=" + keyId() + "]";
  }
}
