package com.mandateregistry.crypto;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SignatureException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The public side of a key directory: every published key, current and retired, and a verifier by
 * key id. This is all an offline verifier needs; build one from a JWK Set with {@link
 * #fromJwkSetJson(String)}.
 */
public interface VerificationKeys {

  /** The published keys: the current one (if any) first, then retired ones, newest first. */
  List<PublicKeyInfo> publicKeys();

  /**
   * The published key with id {@code keyId}.
   *
   * @throws UnknownKeyException if no published key has that id
   */
  default PublicKeyInfo publicKey(String keyId) throws UnknownKeyException {
    Objects.requireNonNull(keyId, "keyId");
    List<PublicKeyInfo> keys = publicKeys();
    for (PublicKeyInfo key : keys) {
      if (key.keyId().equals(keyId)) {
        return key;
      }
    }
    throw new UnknownKeyException(keyId, keys.stream().map(PublicKeyInfo::keyId).toList());
  }

  /**
   * A verifier for signatures made by the key {@code keyId}, current or retired.
   *
   * @throws UnknownKeyException if no published key has that id
   */
  default SignatureVerifier verifier(String keyId) throws UnknownKeyException {
    return publicKey(keyId).verifier();
  }

  /**
   * Verifies {@code signature} over {@code data} with the key it names.
   *
   * @throws UnknownKeyException if the signature names an unknown key
   * @throws GeneralSecurityException if the algorithm is not ES256 or the signature does not verify
   */
  default void verify(KeyedSignature signature, byte[] data) throws GeneralSecurityException {
    Objects.requireNonNull(signature, "signature");
    if (!Signatures.ES256.equals(signature.algorithm())) {
      throw new SignatureException("unsupported signature algorithm " + signature.algorithm());
    }
    verifier(signature.keyId()).verify(signature.der(), data);
  }

  /** The published keys as a JWK Set JSON object: {@code {"keys": [ … ]}}, in list order. */
  default Map<String, Object> toJwkSetJson() {
    List<Object> keys = new ArrayList<>();
    for (PublicKeyInfo key : publicKeys()) {
      keys.add(key.toJwkJson());
    }
    Map<String, Object> set = new LinkedHashMap<>();
    set.put("keys", keys);
    return set;
  }

  /**
   * A fixed set of keys.
   *
   * @throws IllegalArgumentException if two keys share a key id or more than one is current
   */
  static VerificationKeys of(Collection<PublicKeyInfo> keys) {
    return new FixedVerificationKeys(keys);
  }

  /**
   * Reads a JWK Set ({@code {"keys": [ … ]}}) of public ES256 keys, as published by {@link
   * #toJwkSetJson()}.
   *
   * @throws InvalidKeyException if the JSON is malformed or any key is invalid (see {@link
   *     PublicKeyInfo#fromJwk})
   */
  static VerificationKeys fromJwkSetJson(String json) throws InvalidKeyException {
    Objects.requireNonNull(json, "json");
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException e) {
      throw new InvalidKeyException("not a valid JWK Set: " + e.getMessage(), e);
    }
    List<PublicKeyInfo> keys = new ArrayList<>();
    for (JWK jwk : set.getKeys()) {
      keys.add(PublicKeyInfo.fromJwk(jwk));
    }
    try {
      return of(keys);
    } catch (IllegalArgumentException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }
}
