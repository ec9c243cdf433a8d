package com.mandateregistry.crypto.sdjwt;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
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
 * TEST-ONLY HELPER: an SD-JWT VC verifier written from RFC 9901 and docs/proof-of-mandate.md §8,
 * sharing no code with the issuer (no {@code com.authlete:sd-jwt}, no {@code SdJwtVcIssuer}, and
 * no JOSE library: the issuer signs through Nimbus, so this side does not use it). It splits on
 * {@code ~} and {@code .}, decodes the header and payload with Jackson, checks the ES256 signature
 * with the JDK's {@code SHA256withECDSAinP1363Format} against the {@code x}, {@code y} of the JWK
 * that {@code kid} resolves to, recomputes each disclosure's SHA-256 digest and finds it in {@code
 * _sd}. Top-level disclosures only (the Proof-of-Mandate nests none); no key binding JWT. The
 * caller's resolver stands for step 4 (the key must be an {@code assertionMethod} of the issuer's
 * DID document); {@code ECKey} is only the JWK's container, read as JSON.
 */
public final class IndependentSdJwtVerifier {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private static final TypeReference<List<Object>> ARRAY = new TypeReference<>() {};
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);
  private static final Set<String> RESERVED = Set.of("_sd", "_sd_alg", "...");
  /** The Proof-of-Mandate's type (docs/proof-of-mandate.md §4). */
  public static final String VCT = "https://mandate-registry.dev/vct/proof-of-mandate/v1";

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

    // 2. the header: ES256, typ dc+sd-jwt, a kid
    String[] jws = jwt.split("\\.", -1);
    if (jws.length != 3) {
      throw new Rejected("not a compact JWS: " + jws.length + " parts");
    }
    Map<String, Object> header = parse(base64url(jws[0], "header"), OBJECT, "header");
    if (!"ES256".equals(header.get("alg"))) {
      throw new Rejected("alg is " + header.get("alg"));
    }
    if (!"dc+sd-jwt".equals(header.get("typ"))) {
      throw new Rejected("typ is " + header.get("typ"));
    }
    if (!(header.get("kid") instanceof String kid)) {
      throw new Rejected("kid is missing");
    }
    if (header.containsKey("crit")) {
      throw new Rejected("crit names extensions this verifier does not understand: " + header.get("crit"));
    }

    // 3. the payload: iss a did:web, kid under it, vct, _sd_alg
    Map<String, Object> claims = parse(base64url(jws[1], "payload"), OBJECT, "payload");
    if (!(claims.get("iss") instanceof String iss) || !iss.startsWith("did:web:")) {
      throw new Rejected("iss is not a did:web: " + claims.get("iss"));
    }
    if (!kid.startsWith(iss + "#")) {
      throw new Rejected("kid " + kid + " is not a key of " + iss);
    }
    if (!VCT.equals(claims.get("vct"))) {
      throw new Rejected("vct is " + claims.get("vct"));
    }
    if (!"sha-256".equals(claims.get("_sd_alg"))) {
      throw new Rejected("_sd_alg is " + claims.get("_sd_alg"));
    }

    // 4. and 5. the key kid resolves to; the signature, R || S, over "<header>.<payload>"
    ECKey key = keys.apply(kid);
    if (key == null) {
      throw new Rejected("unknown kid " + kid);
    }
    byte[] signature = base64url(jws[2], "signature");
    if (signature.length != 64) {
      throw new Rejected("an ES256 signature is 64 bytes, not " + signature.length);
    }
    if (!verifiesEs256(key.toPublicJWK().toJSONObject(), jws[0] + "." + jws[1], signature)) {
      throw new Rejected("the JWS signature does not verify");
    }

    // 6. time
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

    // 7. each disclosure: its digest is listed, used once; [salt, name, value]; name is new
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
      List<Object> array = parse(base64url(disclosure, "disclosure"), ARRAY, "disclosure");
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
        Collections.unmodifiableMap(new LinkedHashMap<>(header)),
        Collections.unmodifiableMap(claims),
        List.copyOf(disclosed));
  }

  /**
   * Whether {@code signature} (R || S) is an ES256 signature by the P-256 key {@code jwk} over the
   * ASCII bytes of {@code signingInput}: the JDK's ECDSA, fed the JWK's coordinates.
   */
  private static boolean verifiesEs256(Map<String, Object> jwk, String signingInput, byte[] signature)
      throws Rejected {
    if (!"EC".equals(jwk.get("kty")) || !"P-256".equals(jwk.get("crv"))
        || !(jwk.get("x") instanceof String x) || !(jwk.get("y") instanceof String y)) {
      throw new Rejected("the key is not a P-256 JWK: " + jwk);
    }
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      ECPoint point = new ECPoint(
          new BigInteger(1, base64url(x, "x")), new BigInteger(1, base64url(y, "y")));
      PublicKey publicKey = KeyFactory.getInstance("EC")
          .generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
      Signature ecdsa = Signature.getInstance("SHA256withECDSAinP1363Format");
      ecdsa.initVerify(publicKey);
      ecdsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return ecdsa.verify(signature);
    } catch (GeneralSecurityException e) {
      throw new Rejected("the key or signature is unusable: " + e.getMessage());
    }
  }

  private static byte[] base64url(String part, String what) throws Rejected {
    if (part.contains("=")) {
      throw new Rejected(what + " is padded base64url");
    }
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new Rejected(what + " is not base64url");
    }
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
