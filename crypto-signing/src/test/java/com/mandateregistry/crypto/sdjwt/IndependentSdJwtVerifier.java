package com.mandateregistry.crypto.sdjwt;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * TEST-ONLY HELPER: an SD-JWT VC verifier written from RFC 9901 and docs/proof-of-mandate.md,
 * sharing no code with the issuer (no {@code com.authlete:sd-jwt}, no {@code SdJwtVcIssuer}): split
 * on {@code ~}, verify the JWS with Nimbus against a public JWK resolved by {@code kid}, recompute
 * each disclosure's SHA-256 digest with the JDK and find it in {@code _sd}, rebuild the claims with
 * Jackson. Top-level disclosures only (the Proof-of-Mandate nests none); no key binding JWT.
 */
public final class IndependentSdJwtVerifier {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private static final TypeReference<List<Object>> ARRAY = new TypeReference<>() {};
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  private static final Set<String> RESERVED = Set.of("_sd", "_sd_alg", "...");

  private IndependentSdJwtVerifier() {}

  /** Why a presentation was refused. */
  public static final class Rejected extends Exception {
    public Rejected(String message) {
      super(message);
    }
  }

  /**
   * A verified SD-JWT VC.
   *
   * @param header the JWS header
   * @param claims the payload with every presented disclosure put in place and {@code _sd}, {@code
   *     _sd_alg} removed
   * @param disclosed the names of the claims that came from disclosures, in presentation order
   */
  public record Verified(Map<String, Object> header, Map<String, Object> claims, List<String> disclosed) {}

  /**
   * Verifies {@code sdJwt} at {@code now}.
   *
   * @param keys the public JWK for a {@code kid}, or null if unknown
   * @throws Rejected if anything does not hold
   */
  public static Verified verify(String sdJwt, Function<String, ECKey> keys, Instant now) throws Rejected {
    // 1. <JWT>~<D1>~...~<Dn>~ : ends with "~" (no key binding JWT), no empty disclosure
    if (!sdJwt.endsWith("~")) {
      throw new Rejected("not an SD-JWT without key binding: does not end with ~");
    }
    String[] parts = sdJwt.split("~", -1);
    String jwt = parts[0];
    List<String> disclosures = new ArrayList<>();
    for (int i = 1; i < parts.length - 1; i++) {
      if (parts[i].isEmpty()) {
        throw new Rejected("empty disclosure at position " + i);
      }
      disclosures.add(parts[i]);
    }

    // 2. the issuer-signed JWT: ES256, typ dc+sd-jwt, kid resolves, signature verifies
    JWSObject jws;
    try {
      jws = JWSObject.parse(jwt);
    } catch (ParseException e) {
      throw new Rejected("not a JWS: " + e.getMessage());
    }
    if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
      throw new Rejected("alg is " + jws.getHeader().getAlgorithm());
    }
    if (jws.getHeader().getType() == null || !"dc+sd-jwt".equals(jws.getHeader().getType().getType())) {
      throw new Rejected("typ is " + jws.getHeader().getType());
    }
    String kid = jws.getHeader().getKeyID();
    ECKey key = kid == null ? null : keys.apply(kid);
    if (key == null) {
      throw new Rejected("unknown kid " + kid);
    }
    try {
      if (!jws.verify(new ECDSAVerifier(key.toPublicJWK()))) {
        throw new Rejected("the JWS signature does not verify");
      }
    } catch (JOSEException e) {
      throw new Rejected("the JWS signature does not verify: " + e.getMessage());
    }

    // 3. the payload: iss, vct, iat, exp, _sd_alg
    Map<String, Object> claims = parse(jws.getPayload().toBytes(), OBJECT, "payload");
    if (!"sha-256".equals(claims.get("_sd_alg"))) {
      throw new Rejected("_sd_alg is " + claims.get("_sd_alg"));
    }
    if (!(claims.get("iss") instanceof String) || !(claims.get("vct") instanceof String)) {
      throw new Rejected("iss and vct are required strings");
    }
    if (!(claims.get("iat") instanceof Number iat) || !(claims.get("exp") instanceof Number exp)) {
      throw new Rejected("iat and exp are required numbers");
    }
    if (!now.isBefore(Instant.ofEpochSecond(exp.longValue()))) {
      throw new Rejected("expired at " + Instant.ofEpochSecond(exp.longValue()));
    }
    if (Instant.ofEpochSecond(iat.longValue()).isAfter(now.plus(CLOCK_SKEW))) {
      throw new Rejected("issued in the future");
    }
    Set<String> digests = new HashSet<>();
    if (claims.get("_sd") instanceof List<?> sd) {
      for (Object d : sd) {
        if (!(d instanceof String s) || !digests.add(s)) {
          throw new Rejected("_sd holds a non-string or repeated digest");
        }
      }
    } else if (claims.containsKey("_sd")) {
      throw new Rejected("_sd is not an array");
    }
    claims.remove("_sd");
    claims.remove("_sd_alg");
    requireNoNestedDisclosures(claims);

    // 4. each disclosure: its digest is listed, used once; [salt, name, value]; name is new
    Set<String> used = new HashSet<>();
    List<String> disclosed = new ArrayList<>();
    for (String disclosure : disclosures) {
      String digest = sha256Base64url(disclosure);
      if (!digests.contains(digest)) {
        throw new Rejected("disclosure " + disclosure + " has digest " + digest + ", not in _sd");
      }
      if (!used.add(digest)) {
        throw new Rejected("disclosure presented twice");
      }
      byte[] decoded;
      try {
        decoded = Base64.getUrlDecoder().decode(disclosure);
      } catch (IllegalArgumentException e) {
        throw new Rejected("disclosure is not base64url");
      }
      List<Object> array = parse(decoded, ARRAY, "disclosure");
      if (array.size() != 3 || !(array.get(0) instanceof String) || !(array.get(1) instanceof String name)) {
        throw new Rejected("a claim disclosure is [salt, name, value]");
      }
      if (RESERVED.contains(name) || claims.containsKey(name)) {
        throw new Rejected("disclosed claim name " + name + " is reserved or already present");
      }
      Object value = array.get(2);
      requireNoNestedDisclosures(value);
      claims.put(name, value);
      disclosed.add(name);
    }
    return new Verified(
        Collections.unmodifiableMap(new LinkedHashMap<>(jws.getHeader().toJSONObject())),
        Collections.unmodifiableMap(claims),
        List.copyOf(disclosed));
  }

  /** base64url (no padding) of SHA-256 over the ASCII bytes of {@code disclosure}. */
  public static String sha256Base64url(String disclosure) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(disclosure.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void requireNoNestedDisclosures(Object value) throws Rejected {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (RESERVED.contains(e.getKey())) {
          throw new Rejected("nested selective disclosure is not expected: " + e.getKey());
        }
        requireNoNestedDisclosures(e.getValue());
      }
    } else if (value instanceof List<?> list) {
      for (Object element : list) {
        requireNoNestedDisclosures(element);
      }
    }
  }

  private static <T> T parse(byte[] json, TypeReference<T> type, String what) throws Rejected {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw new Rejected(what + " is not the expected JSON: " + e.getMessage());
    }
  }
}
