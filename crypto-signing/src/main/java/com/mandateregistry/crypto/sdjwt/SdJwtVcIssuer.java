package com.mandateregistry.crypto.sdjwt;

import com.authlete.sd.Disclosure;
import com.authlete.sd.SDJWT;
import com.authlete.sd.SDObjectBuilder;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Issues SD-JWT VCs (RFC 9901; SD-JWT-based Verifiable Credentials, {@code typ} {@value #TYPE})
 * signed through the {@link Signer} port.
 *
 * <p>The issuer-signed JWT:
 *
 * <ul>
 *   <li>header {@code {"alg":"ES256","typ":"dc+sd-jwt","kid":"<issuer DID>#<key id>"}}, where the key
 *       id is the signer's (the RFC 7638 thumbprint of its public key);
 *   <li>payload: {@code iss}, {@code iat}, {@code exp} (NumericDate, whole seconds), {@code vct},
 *       then the visible claims in order, then {@code _sd} (the SHA-256 digests of the disclosures
 *       and of any decoys, sorted, so that the order reveals nothing) and {@code "_sd_alg":"sha-256"}.
 * </ul>
 *
 * <p>Each selectively disclosable claim becomes one disclosure: base64url (no padding) of the UTF-8
 * JSON array {@code [salt, claim name, claim value]}, with a fresh salt of at least 128 bits from
 * the {@link SaltSource}. Its digest is base64url (no padding) of SHA-256 over the ASCII bytes of
 * the disclosure string. The compact form is {@code <JWT>~<disclosure>~…~<disclosure>~} (no key
 * binding). Disclosures and digests are made by {@code com.authlete:sd-jwt}; the JWS by Nimbus
 * JOSE+JWT with {@link SignerJwsSigner}. Nothing in the credential is nested or recursively
 * disclosable: every {@code _sd} digest is at the top level.
 *
 * <p>Thread-safe if the signer supplier and the salt source are.
 */
public final class SdJwtVcIssuer {

  /** The JWS {@code typ} of an SD-JWT VC. */
  public static final String TYPE = "dc+sd-jwt";

  /** The {@code _sd_alg} of every credential: SHA-256 (IANA "Named Information Hash Algorithm"). */
  public static final String HASH_ALGORITHM = "sha-256";

  /** Set by the issuer itself: no visible or disclosable claim may have these names. */
  private static final Set<String> REGISTERED = Set.of("iss", "iat", "exp", "vct");

  /** SD-JWT VC: these are never selectively disclosable. */
  private static final Set<String> NEVER_DISCLOSABLE =
      Set.of("iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status");

  /** RFC 9901: keys with a meaning of their own, allowed nowhere inside claim values. */
  private static final Set<String> SD_RESERVED = Set.of("_sd", "_sd_alg", "...");

  private final String issuerDid;
  private final Supplier<Signer> signers;
  private final SaltSource salts;
  private final int decoyDigests;

  /**
   * An issuer with random salts and no decoy digests.
   *
   * @param issuerDid the {@code iss} of every credential, and the DID part of its {@code kid}
   * @param signers the signer to use for each credential, asked anew each time (so that a rotated
   *     key is picked up), for example {@code signingKeys::currentSigner}
   */
  public SdJwtVcIssuer(String issuerDid, Supplier<Signer> signers) {
    this(issuerDid, signers, SaltSource.secureRandom(), 0);
  }

  /**
   * @param salts the salt of each disclosure; {@link SaltSource#secureRandom()} except in tests
   * @param decoyDigests how many random digests to add to {@code _sd} (RFC 9901 section 4.2.5), to
   *     hide how many claims are disclosable; 0 or more
   */
  public SdJwtVcIssuer(String issuerDid, Supplier<Signer> signers, SaltSource salts, int decoyDigests) {
    this.issuerDid = Objects.requireNonNull(issuerDid, "issuerDid");
    if (!issuerDid.startsWith("did:") || issuerDid.contains("#")) {
      throw new IllegalArgumentException("not a DID without fragment: " + issuerDid);
    }
    this.signers = Objects.requireNonNull(signers, "signers");
    this.salts = Objects.requireNonNull(salts, "salts");
    if (decoyDigests < 0) {
      throw new IllegalArgumentException("decoyDigests must not be negative, got " + decoyDigests);
    }
    this.decoyDigests = decoyDigests;
  }

  /** The issuer's DID, {@code iss} of every credential. */
  public String issuerDid() {
    return issuerDid;
  }

  /**
   * Issues one credential.
   *
   * @throws SigningException if the signer is unavailable or fails (the cause is kept)
   * @throws IllegalArgumentException if a claim name is reserved (see the class comment) or a value
   *     is not a JSON value
   */
  public SdJwtVc issue(SdJwtVcClaims claims) throws SigningException {
    Objects.requireNonNull(claims, "claims");
    SDObjectBuilder payload = new SDObjectBuilder(HASH_ALGORITHM);
    payload.putClaim("iss", issuerDid);
    payload.putClaim("iat", claims.issuedAt().getEpochSecond());
    payload.putClaim("exp", claims.expiresAt().getEpochSecond());
    payload.putClaim("vct", claims.vct());
    claims.visible().forEach((name, value) -> {
      checkName(name, REGISTERED, "visible");
      payload.putClaim(name, json(value, name));
    });
    List<Disclosure> disclosures = new ArrayList<>();
    claims.disclosable().forEach((name, value) -> {
      checkName(name, REGISTERED, "disclosable");
      checkName(name, NEVER_DISCLOSABLE, "disclosable");
      String salt = Objects.requireNonNull(salts.next(), "salt");
      disclosures.add(payload.putSDClaim(new Disclosure(salt, name, json(value, name))));
    });
    if (decoyDigests > 0) {
      payload.putDecoyDigests(decoyDigests);
    }

    SignerJwsSigner signer = new SignerJwsSigner(Objects.requireNonNull(signers.get(), "signer"));
    String kid = issuerDid + "#" + signer.keyId();
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE)).keyID(kid).build();
    // serialized here, in insertion order (Payload(Map) would not keep it)
    JWSObject jws = new JWSObject(header, new Payload(JSONObjectUtils.toJSONString(payload.build(true))));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      if (e.getCause() instanceof SigningException cause) {
        throw cause;
      }
      throw new SigningException("the SD-JWT VC could not be signed: " + e.getMessage(), e);
    }
    String jwt = jws.serialize();
    List<SdJwtVc.Disclosed> disclosed =
        disclosures.stream()
            .map(d -> new SdJwtVc.Disclosed(d.getClaimName(), d.getDisclosure(), d.digest(HASH_ALGORITHM)))
            .toList();
    return new SdJwtVc(
        new SDJWT(jwt, disclosures).toString(),
        jwt,
        issuerDid,
        kid,
        claims.issuedAt(),
        claims.expiresAt(),
        disclosed);
  }

  private static void checkName(String name, Set<String> forbidden, String kind) {
    Objects.requireNonNull(name, "claim name");
    if (forbidden.contains(name) || SD_RESERVED.contains(name)) {
      throw new IllegalArgumentException("claim name " + name + " may not be used as a " + kind + " claim");
    }
  }

  /**
   * A copy of {@code value} as plain JSON values (String, Boolean, Integer/Long/BigInteger/
   * BigDecimal/Double, LinkedHashMap, ArrayList, null), map members with null values left out.
   */
  private static Object json(Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
        || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Short || value instanceof Byte) {
      return ((Number) value).intValue();
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException(path + " is not a JSON number: " + value);
      }
      return d;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(path + " has a non-string key: " + e.getKey());
        }
        if (SD_RESERVED.contains(key)) {
          throw new IllegalArgumentException(path + " holds the reserved key " + key);
        }
        if (e.getValue() != null) {
          copy.put(key, json(e.getValue(), path + "." + key));
        }
      }
      return copy;
    }
    if (value instanceof Collection<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      int i = 0;
      for (Object element : list) {
        copy.add(json(element, path + "[" + i++ + "]"));
      }
      return copy;
    }
    throw new IllegalArgumentException(
        path + " is not a JSON value: " + value.getClass().getName());
  }
}
