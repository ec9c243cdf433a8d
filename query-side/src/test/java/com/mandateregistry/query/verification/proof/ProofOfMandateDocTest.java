package com.mandateregistry.query.verification.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.crypto.sdjwt.IndependentSdJwtVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/proof-of-mandate.md says what the code does: its worked example verifies against its DID
 * document with {@link IndependentSdJwtVerifier}, its decoded parts are those of the credential,
 * and its claim table lists the claims the issuer writes.
 */
class ProofOfMandateDocTest {

  private static final Path DOC = Path.of("../docs/proof-of-mandate.md");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String doc;
  private static String credential;
  private static JsonNode didDocument;

  @BeforeAll
  static void read() throws Exception {
    doc = Files.readString(DOC);
    credential = block("<!-- example:credential -->").trim();
    didDocument = JSON.readTree(block("<!-- example:did-document -->"));
  }

  /** The fenced code block right after {@code marker}. */
  private static String block(String marker) {
    int at = doc.indexOf(marker);
    assertThat(at).as(marker).isNotNegative();
    int start = doc.indexOf('\n', doc.indexOf("```", at)) + 1;
    return doc.substring(start, doc.indexOf("```", start));
  }

  private static ECKey key(String kid) {
    for (JsonNode method : didDocument.get("verificationMethod")) {
      if (method.get("id").asText().equals(kid)) {
        try {
          return ECKey.parse(method.get("publicKeyJwk").toString());
        } catch (ParseException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return null;
  }

  private static String decode(String base64url) {
    return new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
  }

  private static IndependentSdJwtVerifier.Verified verified() throws Exception {
    JsonNode payload = JSON.readTree(decode(credential.split("\\.")[1]));
    Instant iat = Instant.ofEpochSecond(payload.get("iat").asLong());
    return IndependentSdJwtVerifier.verify(credential, ProofOfMandateDocTest::key, iat.plusSeconds(1));
  }

  @Test
  void theWorkedExample_verifiesAgainstItsDidDocument() throws Exception {
    IndependentSdJwtVerifier.Verified verified = verified();

    assertThat(verified.disclosed()).containsExactlyElementsOf(SdJwtProofOfMandateIssuer.DISCLOSABLE);
    assertThat(didDocument.get("assertionMethod")).extracting(JsonNode::asText)
        .contains((String) verified.header().get("kid"));
  }

  @Test
  void theWorkedExample_showsTheCredentialsHeaderAndDisclosuresDecoded() {
    String[] parts = credential.split("~");
    assertThat(doc).contains(decode(parts[0].split("\\.")[0]));
    for (int i = 1; i < parts.length; i++) {
      assertThat(doc)
          .contains(parts[i])
          .contains(decode(parts[i]))
          .contains(IndependentSdJwtVerifier.sha256Base64url(parts[i]));
    }
  }

  @Test
  void theClaimTable_listsEveryClaimOfTheExample_visibleOrDisclosable() throws Exception {
    IndependentSdJwtVerifier.Verified verified = verified();

    for (String claim : verified.claims().keySet()) {
      String kind = SdJwtProofOfMandateIssuer.DISCLOSABLE.contains(claim) ? "disclosable" : "visible";
      assertThat(doc).as(claim).contains("| `" + claim + "` | " + kind + " |");
    }
    for (String sd : List.of("_sd", "_sd_alg")) {
      assertThat(doc).contains("| `" + sd + "` | visible |");
    }
  }

  @Test
  void theDocumentedDefaults_areTheCodes() {
    assertThat(doc).contains("| `mandate-registry.proof.vct` | `" + ProofSettings.DEFAULT_VCT + "` |");
    assertThat(doc).contains("| `mandate-registry.proof.ttl` | `PT5M` |");
    assertThat(doc).contains("| `mandate-registry.public-base-url` | `http://localhost:8080` |");
  }
}
