package com.mandateregistry.query.verification.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.crypto.MutableClock;
import com.mandateregistry.crypto.local.LocalKeySigner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/** {@code GET /.well-known/did.json} with a key that has been rotated once. */
class DidDocumentControllerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dataDir;
  private LocalKeySigner keys;
  private String retiredKeyId;
  private MockMvc mvc;

  @BeforeEach
  void setUp() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    keys = LocalKeySigner.open(dataDir.resolve("keys/signing.p12"), "test-password".toCharArray(), clock);
    retiredKeyId = keys.keyId();
    clock.advance(Duration.ofDays(30));
    keys.rotate();
    mvc = MockMvcBuilders.standaloneSetup(new DidDocumentController(keys, ProofFixture.settings())).build();
  }

  private JsonNode document() throws Exception {
    return JSON.readTree(mvc.perform(get("/.well-known/did.json")).andReturn().getResponse().getContentAsString());
  }

  @Test
  void theDocument_isServedAsDidJson() throws Exception {
    mvc.perform(get("/.well-known/did.json"))
        .andExpect(status().isOk())
        .andExpect(content().contentType("application/did+json"));
  }

  @Test
  void theDocument_isTheIssuerDids_inTheJws2020Context() throws Exception {
    JsonNode doc = document();

    assertThat(doc.get("id").asText()).isEqualTo(ProofFixture.DID);
    assertThat(doc.get("@context").toString())
        .isEqualTo("[\"https://www.w3.org/ns/did/v1\",\"https://w3id.org/security/suites/jws-2020/v1\"]");
  }

  @Test
  void everyPublishedKey_isAJsonWebKey2020Method_namedDidHashKeyId() throws Exception {
    JsonNode methods = document().get("verificationMethod");

    assertThat(methods).hasSize(2);
    assertThat(methods.get(0).get("id").asText()).isEqualTo(ProofFixture.DID + "#" + keys.keyId());
    assertThat(methods.get(1).get("id").asText()).isEqualTo(ProofFixture.DID + "#" + retiredKeyId);
    assertThat(methods).allSatisfy(m -> {
      assertThat(m.get("type").asText()).isEqualTo("JsonWebKey2020");
      assertThat(m.get("controller").asText()).isEqualTo(ProofFixture.DID);
    });
  }

  @Test
  void publicKeyJwk_holdsPublicMembersOnly() throws Exception {
    JsonNode jwk = document().get("verificationMethod").get(0).get("publicKeyJwk");

    assertThat(jwk.toString()).isEqualTo(
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + keys.currentKey().toJwk().getX()
            + "\",\"y\":\"" + keys.currentKey().toJwk().getY() + "\",\"alg\":\"ES256\",\"use\":\"sig\"}");
  }

  @Test
  void everyKey_isAnAssertionMethod_butOnlyTheCurrentOneAuthenticates() throws Exception {
    JsonNode doc = document();

    assertThat(doc.get("assertionMethod").toString()).isEqualTo(
        "[\"" + ProofFixture.DID + "#" + keys.keyId() + "\",\"" + ProofFixture.DID + "#" + retiredKeyId + "\"]");
    assertThat(doc.get("authentication").toString()).isEqualTo("[\"" + ProofFixture.DID + "#" + keys.keyId() + "\"]");
  }

  @Test
  void theService_isTheLinkedPublicBaseUrl() throws Exception {
    JsonNode service = document().get("service");

    assertThat(service.toString()).isEqualTo("[{\"id\":\"" + ProofFixture.DID + "#linked-domain\","
        + "\"type\":\"LinkedDomains\",\"serviceEndpoint\":\"https://registry.example\"}]");
  }
}
