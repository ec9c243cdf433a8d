package com.mandateregistry.query.verification.proof;

import com.mandateregistry.crypto.PublicKeyInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The issuer's W3C DID document: one {@code JsonWebKey2020} verification method per published
 * signing key, current and retired, with id {@code <did>#<key id>} (the {@code kid} of the
 * credentials that key signed). Every key is an {@code assertionMethod} (so credentials of a key
 * retired since still verify until they expire); only the current key is an {@code authentication}
 * method. One {@code LinkedDomains} service names the public base URL.
 */
final class DidDocument {

  private DidDocument() {}

  /**
   * @param keys the published keys, current first (as {@code SigningKeys.publicKeys()} lists them)
   */
  static Map<String, Object> of(String did, String publicBaseUrl, List<PublicKeyInfo> keys) {
    List<Object> methods = new ArrayList<>();
    List<Object> authentication = new ArrayList<>();
    List<Object> assertion = new ArrayList<>();
    for (PublicKeyInfo key : keys) {
      String id = did + "#" + key.keyId();
      Map<String, Object> method = new LinkedHashMap<>();
      method.put("id", id);
      method.put("type", "JsonWebKey2020");
      method.put("controller", did);
      method.put("publicKeyJwk", publicJwk(key));
      methods.add(method);
      assertion.add(id);
      if (!key.isRetired()) {
        authentication.add(id);
      }
    }
    Map<String, Object> service = new LinkedHashMap<>();
    service.put("id", did + "#linked-domain");
    service.put("type", "LinkedDomains");
    service.put("serviceEndpoint", publicBaseUrl);

    Map<String, Object> document = new LinkedHashMap<>();
    document.put("@context", List.of("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"));
    document.put("id", did);
    document.put("verificationMethod", methods);
    document.put("authentication", authentication);
    document.put("assertionMethod", assertion);
    document.put("service", List.of(service));
    return document;
  }

  /** {@code kty, crv, x, y, alg, use}: public members only. */
  private static Map<String, Object> publicJwk(PublicKeyInfo key) {
    Map<String, Object> all = key.toJwk().toPublicJWK().toJSONObject();
    Map<String, Object> jwk = new LinkedHashMap<>();
    for (String member : List.of("kty", "crv", "x", "y", "alg", "use")) {
      jwk.put(member, all.get(member));
    }
    return jwk;
  }
}
