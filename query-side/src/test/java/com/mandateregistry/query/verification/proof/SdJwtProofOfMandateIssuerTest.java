package com.mandateregistry.query.verification.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.crypto.KeyedSignature;
import com.mandateregistry.crypto.Signer;
import com.mandateregistry.crypto.SigningException;
import com.mandateregistry.crypto.SigningKeys;
import com.mandateregistry.crypto.sdjwt.JcaTestSigner;
import com.mandateregistry.query.verification.web.ProofOfMandateIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claim set of the Proof-of-Mandate: what is visible, what is disclosable, and the times. */
class SdJwtProofOfMandateIssuerTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JcaTestSigner signer = new JcaTestSigner();
  private final SdJwtProofOfMandateIssuer issuer =
      new SdJwtProofOfMandateIssuer(signer.signingKeys(), ProofFixture.settings());

  private ProofOfMandateIssuer.Proof issue() {
    return issuer.issue(ProofFixture.claims());
  }

  private static JsonNode payload(ProofOfMandateIssuer.Proof proof) throws Exception {
    String jwt = proof.credential().substring(0, proof.credential().indexOf('~'));
    return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
  }

  /** Every disclosure of the credential, decoded: [salt, name, value]. */
  private static List<JsonNode> disclosures(ProofOfMandateIssuer.Proof proof) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String[] parts = proof.credential().split("~");
    for (int i = 1; i < parts.length; i++) {
      out.add(JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[i]), StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void visibleClaims_areExactlyTheDecisionAndWhatItWasAbout() throws Exception {
    JsonNode payload = payload(issue());

    List<String> names = new ArrayList<>();
    payload.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("iss", "iat", "exp", "vct", "decision", "mandate_id", "event_id",
        "action", "resource", "delegate", "_sd", "_sd_alg");
    assertThat(payload.get("iss").asText()).isEqualTo(ProofFixture.DID);
    assertThat(payload.get("vct").asText()).isEqualTo("https://mandate-registry.dev/vct/proof-of-mandate/v1");
    assertThat(payload.get("decision").asText()).isEqualTo("ALLOW");
    assertThat(payload.get("mandate_id").asText()).isEqualTo("mdt_01JNW3R0000000000000000001");
    assertThat(payload.get("event_id").asText()).isEqualTo("evt_01JNW3R0000000000000000002");
    assertThat(payload.get("action").asText()).isEqualTo("construction.validation.approve");
    assertThat(payload.get("resource").asText()).isEqualTo("monco:project:proj_ABC123/zone:EG");
    assertThat(payload.get("delegate").toString()).isEqualTo("{\"subject_id\":\"monco:agent:validate-agent-v2\"}");
  }

  @Test
  void disclosableClaims_areTenantPrincipalAndConstraints_oneDigestEach() throws Exception {
    ProofOfMandateIssuer.Proof proof = issue();

    assertThat(proof.disclosures()).containsExactly("tenant_id", "principal", "constraints");
    assertThat(disclosures(proof)).extracting(d -> d.get(1).asText())
        .containsExactly("tenant_id", "principal", "constraints");
    assertThat(payload(proof).get("_sd")).hasSize(3);
    assertThat(payload(proof).get("_sd_alg").asText()).isEqualTo("sha-256");
  }

  @Test
  void tenantAndPrincipal_areDisclosedAsGiven() throws Exception {
    List<JsonNode> disclosures = disclosures(issue());

    assertThat(disclosures.get(0).get(2).asText()).isEqualTo("tnt_01JNW3R0000000000000000000");
    assertThat(disclosures.get(1).get(2).toString())
        .isEqualTo("{\"type\":\"natural_person\",\"subject_id\":\"monco:user:max\"}");
  }

  @Test
  void constraints_areTheGrantedOnes_plusWhatRemains() throws Exception {
    JsonNode constraints = disclosures(issue()).get(2).get(2);

    assertThat(constraints.get("max_amount").toString()).isEqualTo("{\"amount\":1000,\"currency\":\"EUR\"}");
    assertThat(constraints.get("rate_limit").get("max_uses").asInt()).isEqualTo(100);
    assertThat(constraints.get("remaining").get("uses_remaining").asInt()).isEqualTo(99);
    assertThat(constraints.get("remaining").get("budget_remaining").get("amount").decimalValue())
        .isEqualByComparingTo("8750.50");
  }

  @Test
  void iat_isTheDecisionTimeInWholeSeconds_andExpIsTtlLater() throws Exception {
    ProofOfMandateIssuer.Proof proof = issue();
    JsonNode payload = payload(proof);

    assertThat(payload.get("iat").asLong()).isEqualTo(Instant.parse("2026-03-02T10:15:30Z").getEpochSecond());
    assertThat(payload.get("exp").asLong()).isEqualTo(payload.get("iat").asLong() + 300);
    assertThat(proof.expiresAt()).isEqualTo(Instant.parse("2026-03-02T10:20:30Z"));
  }

  @Test
  void theProof_namesFormatIssuerAndKid() throws Exception {
    ProofOfMandateIssuer.Proof proof = issue();

    assertThat(proof.format()).isEqualTo("dc+sd-jwt");
    assertThat(proof.issuer()).isEqualTo(ProofFixture.DID);
    assertThat(proof.keyId()).isEqualTo(ProofFixture.DID + "#" + signer.keyId());
    String header = proof.credential().substring(0, proof.credential().indexOf('.'));
    assertThat(JSON.readTree(Base64.getUrlDecoder().decode(header)).get("kid").asText()).isEqualTo(proof.keyId());
  }

  @Test
  void eachIssuance_usesFreshSalts() {
    assertThat(issue().credential().split("~")[1]).isNotEqualTo(issue().credential().split("~")[1]);
  }

  @Test
  void aSignerFailure_isProofUnavailable_keepingTheCause() {
    SigningException down = new SigningException("KMS unavailable");
    Signer failing = new Signer() {
      @Override
      public KeyedSignature sign(byte[] data) throws SigningException {
        throw down;
      }

      @Override
      public String keyId() {
        return signer.keyId();
      }
    };
    SigningKeys keys = SigningKeys.of(failing, signer.signingKeys().publicKeys());

    assertThatThrownBy(() -> new SdJwtProofOfMandateIssuer(keys, ProofFixture.settings()).issue(ProofFixture.claims()))
        .isInstanceOf(ProofOfMandateIssuer.ProofUnavailableException.class)
        .hasCause(down);
  }
}
