package com.mandateregistry.query.verification.proof;

import com.mandateregistry.crypto.SigningKeys;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /.well-known/did.json} (004 "Public"): the issuer's DID document, without credentials,
 * as {@code application/did+json}. It is where a verifier resolves a Proof-of-Mandate's {@code kid}.
 */
@RestController
class DidDocumentController {

  static final MediaType DID_JSON = MediaType.parseMediaType("application/did+json");

  private final SigningKeys keys;
  private final ProofSettings settings;

  DidDocumentController(SigningKeys keys, ProofSettings settings) {
    this.keys = keys;
    this.settings = settings;
  }

  @GetMapping("/.well-known/did.json")
  ResponseEntity<Map<String, Object>> didDocument() {
    return ResponseEntity.ok()
        .contentType(DID_JSON)
        .body(DidDocument.of(settings.issuerDid(), settings.publicBaseUrl(), keys.publicKeys()));
  }
}
