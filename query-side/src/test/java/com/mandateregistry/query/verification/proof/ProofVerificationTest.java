package com.mandateregistry.query.verification.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.crypto.MutableClock;
import com.mandateregistry.crypto.local.LocalKeySigner;
import com.mandateregistry.crypto.sdjwt.IndependentSdJwtVerifier;
import com.mandateregistry.query.verification.web.ProofOfMandateIssuer;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Proof-of-Mandate verified as a relying party would: {@code kid} resolved in the DID document
 * (as JSON, the way it is served), the credential checked by {@link IndependentSdJwtVerifier}, an
 * RFC 9901 verifier that shares no code with the issuer (which uses authlete's library).
 */
class ProofVerificationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = ProofFixture.DECIDED_AT.plusSeconds(1);

  @TempDir Path dataDir;
  private MutableClock clock;
  private LocalKeySigner keys;
  private SdJwtProofOfMandateIssuer issuer;

  @BeforeEach
  void setUp() throws Exception {
    clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    keys = LocalKeySigner.open(dataDir.resolve("keys/signing.p12"), "test-password".toCharArray(), clock);
    issuer = new SdJwtProofOfMandateIssuer(keys, ProofFixture.settings());
  }

  /** kid → publicKeyJwk of the verificationMethod with that id, from the served DID document. */
  private Function<String, ECKey> didDocumentKeys() throws Exception {
    String served = JSON.writeValueAsString(
        DidDocument.of(ProofFixture.DID, "https://registry.example", keys.publicKeys()));
    JsonNode document = JSON.readTree(served);
    return kid -> {
      for (JsonNode method : document.get("verificationMethod")) {
        if (method.get("id").asText().equals(kid)) {
          try {
            return ECKey.parse(method.get("publicKeyJwk").toString());
          } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
          }
        }
      }
      return null;
    };
  }

  @Test
  void theProof_verifies_andRevealsEveryClaim() throws Exception {
    ProofOfMandateIssuer.Proof proof = issuer.issue(ProofFixture.claims());

    IndependentSdJwtVerifier.Verified verified =
        IndependentSdJwtVerifier.verify(proof.credential(), didDocumentKeys(), NOW);

    assertThat(verified.header().get("kid")).isEqualTo(proof.keyId());
    assertThat(verified.disclosed()).containsExactly("tenant_id", "principal", "constraints");
    assertThat(verified.claims())
        .containsEntry("iss", ProofFixture.DID)
        .containsEntry("decision", "ALLOW")
        .containsEntry("tenant_id", "tnt_01JNW3R0000000000000000000")
        .containsEntry("principal", Map.of("type", "natural_person", "subject_id", "monco:user:max"))
        .containsEntry("delegate", Map.of("subject_id", "monco:agent:validate-agent-v2"));
  }

  @Test
  void onlyThePrincipal_presented_verifies_andRevealsOnlyThePrincipal() throws Exception {
    ProofOfMandateIssuer.Proof proof = issuer.issue(ProofFixture.claims());
    String[] parts = proof.credential().split("~");
    String principalOnly = parts[0] + "~" + parts[2] + "~";

    IndependentSdJwtVerifier.Verified verified =
        IndependentSdJwtVerifier.verify(principalOnly, didDocumentKeys(), NOW);

    assertThat(verified.disclosed()).containsExactly("principal");
    assertThat(verified.claims()).containsKey("principal").doesNotContainKeys("tenant_id", "constraints");
  }

  @Test
  void aTamperedDisclosure_isRejected() throws Exception {
    ProofOfMandateIssuer.Proof proof = issuer.issue(ProofFixture.claims());
    String[] parts = proof.credential().split("~");
    String json = new String(Base64.getUrlDecoder().decode(parts[3]), StandardCharsets.UTF_8);
    String forged = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.replace("\"max_uses\":100", "\"max_uses\":100000").getBytes(StandardCharsets.UTF_8));
    assertThat(forged).isNotEqualTo(parts[3]);

    assertThatThrownBy(() -> IndependentSdJwtVerifier.verify(
            proof.credential().replace(parts[3], forged), didDocumentKeys(), NOW))
        .isInstanceOf(IndependentSdJwtVerifier.Rejected.class)
        .hasMessageContaining("not in _sd");
  }

  @Test
  void aProofSignedBeforeARotation_stillResolves_toTheRetiredKey() throws Exception {
    ProofOfMandateIssuer.Proof proof = issuer.issue(ProofFixture.claims());
    clock.advance(Duration.ofSeconds(1));
    keys.rotate();

    assertThat(IndependentSdJwtVerifier.verify(proof.credential(), didDocumentKeys(), NOW).claims())
        .containsEntry("decision", "ALLOW");
  }

  @Test
  void aKidOfAnotherIssuer_doesNotResolve() throws Exception {
    ProofOfMandateIssuer.Proof proof = issuer.issue(ProofFixture.claims());
    String kid = proof.keyId();

    assertThat(didDocumentKeys().apply(kid.replace(ProofFixture.DID, "did:web:other.example"))).isNull();
  }
}
