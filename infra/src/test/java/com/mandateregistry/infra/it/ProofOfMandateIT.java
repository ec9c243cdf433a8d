package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.Ids;
import com.mandateregistry.crypto.sdjwt.IndependentSdJwtVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Proof-of-Mandate end to end: {@code POST /v1/verify?pom=sd-jwt-vc} on an ALLOW returns an
 * SD-JWT VC that a relying party verifies with nothing but the public DID document ({@code GET
 * /.well-known/did.json}, no credential) and an RFC 9901 verifier that shares no code with the
 * issuer ({@link IndependentSdJwtVerifier}); the decision's audit event records that a proof was
 * issued.
 */
class ProofOfMandateIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Within the scope of {@link MandateLifecycleIT#create}'s mandate (max 1000 EUR). */
  static final String PERMITTED =
      """
      {"delegate_subject_id": "monco:agent:a1", "action": "construction.validation.approve",
       "resource": "monco:project:p1/zone:EG", "context": {"amount": 250, "currency": "EUR"}}""";
  static final String POM = "/v1/verify?pom=sd-jwt-vc";

  private static TestApp app;
  private static Api api;

  @BeforeAll
  static void start() {
    app = TestApp.shared();
    api = app.api;
  }

  /** A tenant with one mandate, once the verification index and the read model know it. */
  private static TestApp.Tenant tenantWithMandate() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> api.post(tenant, "/v1/verify", PERMITTED),
            r -> r.status() == 200 && r.body().get("decision").asText().equals("ALLOW"));
    MandateLifecycleIT.awaitMandate(tenant, id, "ACTIVE", 0);
    return tenant;
  }

  /** The DID document as a relying party fetches it: no credential. */
  private static JsonNode didDocument() {
    Api.Response r = api.get(null, "/.well-known/did.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/did+json");
    return r.body();
  }

  /** Resolves a {@code kid} to the publicKeyJwk of the verification method with that id. */
  static Function<String, ECKey> resolver(JsonNode document) {
    return kid -> {
      JsonNode jwk = publicKeyJwk(document, kid);
      if (jwk == null) {
        return null;
      }
      try {
        return ECKey.parse(jwk.toString());
      } catch (ParseException e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** The {@code publicKeyJwk} of the DID document's verification method {@code kid}; null if none. */
  static JsonNode publicKeyJwk(JsonNode document, String kid) {
    for (JsonNode method : document.get("verificationMethod")) {
      if (method.get("id").asText().equals(kid)) {
        return method.get("publicKeyJwk");
      }
    }
    return null;
  }

  /** A credential's disclosures as sent (base64url), by the name of the claim each discloses. */
  private static Map<String, String> disclosures(String credential) throws Exception {
    String[] parts = credential.split("~");
    Map<String, String> byName = new java.util.LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      byName.put(JSON.readTree(Base64.getUrlDecoder().decode(parts[i])).get(1).asText(), parts[i]);
    }
    return byName;
  }

  /** The credential presented with the disclosure of {@code claim} alone; null if it has none. */
  private static String presenting(String credential, String claim) throws Exception {
    String disclosure = disclosures(credential).get(claim);
    return disclosure == null ? null : credential.substring(0, credential.indexOf('~')) + "~" + disclosure + "~";
  }

  private static JsonNode header(String credential) throws Exception {
    return JSON.readTree(Base64.getUrlDecoder().decode(credential.substring(0, credential.indexOf('.'))));
  }

  @Test
  void anAllowWithPom_carriesACredential_thatVerifiesAgainstThePublicDidDocument() throws Exception {
    TestApp.Tenant tenant = tenantWithMandate();

    Api.Response r = api.post(tenant, POM, PERMITTED);

    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    assertThat(r.body().get("decision").asText()).isEqualTo("ALLOW");
    JsonNode pom = r.body().get("proof_of_mandate");
    assertThat(pom.get("format").asText()).isEqualTo("dc+sd-jwt");
    assertThat(pom.get("selectively_disclosable").toString())
        .isEqualTo("[\"tenant_id\",\"principal\",\"constraints\"]");
    String credential = pom.get("credential").asText();
    assertThat(credential).endsWith("~").contains(".");

    JsonNode document = didDocument();
    String did = document.get("id").asText();
    assertThat(did).startsWith("did:web:");
    assertThat(pom.get("issuer").asText()).isEqualTo(did);
    String kid = header(credential).get("kid").asText();
    assertThat(kid).isEqualTo(pom.get("key_id").asText()).startsWith(did + "#");
    assertThat(document.get("assertionMethod")).extracting(JsonNode::asText).contains(kid);

    IndependentSdJwtVerifier.Verified verified =
        IndependentSdJwtVerifier.verify(credential, resolver(document), Instant.now());

    Map<String, Object> claims = verified.claims();
    assertThat(claims)
        .containsEntry("iss", did)
        .containsEntry("vct", "https://mandate-registry.dev/vct/proof-of-mandate/v1")
        .containsEntry("decision", "ALLOW")
        .containsEntry("mandate_id", r.body().get("mandate_id").asText())
        .containsEntry("event_id", r.body().get("event_id").asText())
        .containsEntry("action", "construction.validation.approve")
        .containsEntry("resource", "monco:project:p1/zone:EG")
        .containsEntry("delegate", Map.of("subject_id", "monco:agent:a1"))
        .containsEntry("tenant_id", tenant.id())
        .containsEntry("principal", Map.of("type", "natural_person", "subject_id", "monco:user:max"));
    assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(300);
    assertThat(Instant.ofEpochSecond(((Number) claims.get("exp")).longValue()))
        .isEqualTo(Instant.parse(pom.get("expires_at").asText()));
    JsonNode constraints = JSON.valueToTree(claims.get("constraints"));
    assertThat(constraints.at("/max_amount/amount").asInt()).isEqualTo(1000);
    assertThat(constraints.at("/max_amount/currency").asText()).isEqualTo("EUR");
    assertThat(constraints.get("remaining")).isEqualTo(r.body().get("constraints_remaining"));
  }

  /** An amount granted as a string ("1000.50") is a JSON number in the credential, as §4 says. */
  @Test
  void amountsInTheConstraintsSnapshot_areJsonNumbers_howeverTheyWereGranted() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    String body = Api.mandateBody("monco:agent:a1", null)
        .replace("{\"amount\": 1000, \"currency\": \"EUR\"}", "{\"amount\": \"1000.50\", \"currency\": \"EUR\"}");
    assertThat(body).contains("\"1000.50\"");
    Api.Response created = api.post(tenant, "/v1/mandates", body);
    assertThat(created.status()).isEqualTo(201);
    String id = created.body().get("mandate_id").asText();
    MandateLifecycleIT.awaitMandate(tenant, id, "ACTIVE", 0);
    Api.Response r = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> api.post(tenant, POM, PERMITTED),
            x -> x.status() == 200 && x.body().get("decision").asText().equals("ALLOW"));

    String credential = r.body().at("/proof_of_mandate/credential").asText();
    Map<String, Object> claims =
        IndependentSdJwtVerifier.verify(credential, resolver(didDocument()), Instant.now()).claims();

    JsonNode amount = JSON.valueToTree(claims.get("constraints")).at("/max_amount/amount");
    assertThat(amount.isNumber()).as("a number, not the string granted: %s", amount).isTrue();
    assertThat(amount.decimalValue()).isEqualByComparingTo("1000.5");
  }

  /**
   * docs/proof-of-mandate.md §4, on a real proof: the numbers of {@code x_} values re-serialised as
   * its table says, text for text, and {@code null} members left out at every depth while {@code
   * null} array elements stay.
   */
  @Test
  void theConstraintsSnapshot_writesNumbersAndNullsAsTheFormatSays() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    String granted = """
        {"a": 1e2, "b": 1.5E3, "c": 1.0, "d": 1.50, "e": 1.50E1, "f": 0.0000001, "g": 1.0E-7,
         "h": 0.0000000, "i": -0, "j": -0.0, "k": null, "l": [null, 1]}""";
    String body = Api.mandateBody("monco:agent:a1", null)
        .replace("{\"max_amount\": {\"amount\": 1000, \"currency\": \"EUR\"}}",
            "{\"max_amount\": {\"amount\": 1e3, \"currency\": \"EUR\"}, \"x_nums\": " + granted
                + ", \"x_gone\": null}");
    assertThat(body).contains("x_nums");
    Api.Response created = api.post(tenant, "/v1/mandates", body);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    MandateLifecycleIT.awaitMandate(tenant, created.body().get("mandate_id").asText(), "ACTIVE", 0);
    Api.Response r = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> api.post(tenant, POM, PERMITTED),
            x -> x.status() == 200 && x.body().get("decision").asText().equals("ALLOW"));
    String credential = r.body().at("/proof_of_mandate/credential").asText();
    IndependentSdJwtVerifier.verify(credential, resolver(didDocument()), Instant.now());

    String constraintsDisclosure = disclosures(credential).get("constraints");
    assertThat(constraintsDisclosure).as("the constraints disclosure").isNotNull();
    String disclosure = new String(Base64.getUrlDecoder().decode(constraintsDisclosure), StandardCharsets.UTF_8);
    // the text of each number as the disclosure carries it (Jackson's tree keeps it exactly
    // only for integers; so the numbers are read from the disclosure's own text)
    int start = disclosure.indexOf("\"x_nums\"");
    String nums = disclosure.substring(start, disclosure.indexOf('}', start) + 1);
    Map<String, String> written = new java.util.TreeMap<>();
    int found = 0;
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("\"([a-j])\"\\s*:\\s*(-?[0-9][0-9.eE+-]*)").matcher(nums);
    while (m.find()) {
      written.put(m.group(1), m.group(2));
      found++;
    }
    assertThat(found).as("each number once, in x_nums: %s", nums).isEqualTo(10);
    assertThat(written).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
        "a", "100", "b", "1500", "c", "1.0", "d", "1.50", "e", "15.0",
        "f", "1E-7", "g", "1.0E-7", "h", "0E-7", "i", "0", "j", "0.0")));
    JsonNode constraints = JSON.readTree(disclosure).get(2);
    assertThat(constraints.has("x_gone")).as("a null member is left out").isFalse();
    assertThat(constraints.get("x_nums").has("k")).as("at every depth").isFalse();
    assertThat(constraints.at("/x_nums/l").toString()).isEqualTo("[null,1]");
    assertThat(constraints.at("/max_amount/amount").toString()).isEqualTo("1000");
  }

  @Test
  void theGrantedPrincipalAndConstraints_areReadFromTheDatabaseOncePerMandate() throws Exception {
    TestApp.Tenant tenant = tenantWithMandate();
    String first = api.post(tenant, POM, PERMITTED).body().at("/proof_of_mandate/credential").asText();
    JsonNode document = didDocument();
    assertThat(IndependentSdJwtVerifier.verify(first, resolver(document), Instant.now()).claims())
        .containsEntry("principal", Map.of("type", "natural_person", "subject_id", "monco:user:max"));

    // principal and constraints never change after creation; an edit behind the service's back
    // shows that the second proof is not read from mandate_view again
    int edited = app.jdbc().update(
        "UPDATE mandate_view SET principal_subject_id = 'edited' WHERE tenant_id = ?", tenant.id());
    assertThat(edited).isEqualTo(1);
    String second = api.post(tenant, POM, PERMITTED).body().at("/proof_of_mandate/credential").asText();

    assertThat(IndependentSdJwtVerifier.verify(second, resolver(document), Instant.now()).claims())
        .containsEntry("principal", Map.of("type", "natural_person", "subject_id", "monco:user:max"));
  }

  @Test
  void onlyThePrincipal_presented_verifies_andRevealsNothingElse() throws Exception {
    TestApp.Tenant tenant = tenantWithMandate();
    String credential = api.post(tenant, POM, PERMITTED).body().at("/proof_of_mandate/credential").asText();
    String principalOnly = presenting(credential, "principal");
    assertThat(principalOnly).isNotNull();

    IndependentSdJwtVerifier.Verified verified =
        IndependentSdJwtVerifier.verify(principalOnly, resolver(didDocument()), Instant.now());

    assertThat(verified.disclosed()).containsExactly("principal");
    assertThat(verified.claims())
        .containsEntry("principal", Map.of("type", "natural_person", "subject_id", "monco:user:max"))
        .doesNotContainKeys("tenant_id", "constraints");
  }

  /**
   * The same proofs through a second, unrelated SD-JWT implementation (Keycloak's, {@link
   * KeycloakSdJwt}): the whole credential verifies against the DID document's key with every claim
   * in place; a presentation of the principal alone verifies and reveals only it; an altered
   * disclosure, and a key other than the issuer's, are refused.
   */
  @Test
  void aProof_verifiesWithKeycloaksSdJwtImplementation_wholeAndPresentedInPart() throws Exception {
    TestApp.Tenant tenant = tenantWithMandate();
    Api.Response r = api.post(tenant, POM, PERMITTED);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    String credential = r.body().at("/proof_of_mandate/credential").asText();
    JsonNode document = didDocument();
    String kid = header(credential).get("kid").asText();
    JsonNode jwk = publicKeyJwk(document, kid);
    assertThat(jwk).as("the kid resolves in the DID document").isNotNull();

    JsonNode whole = KeycloakSdJwt.verify(credential, kid, jwk);
    assertThat(whole.get("iss").asText()).isEqualTo(document.get("id").asText());
    assertThat(whole.get("vct").asText()).isEqualTo("https://mandate-registry.dev/vct/proof-of-mandate/v1");
    assertThat(whole.get("decision").asText()).isEqualTo("ALLOW");
    assertThat(whole.get("mandate_id").asText()).isEqualTo(r.body().get("mandate_id").asText());
    assertThat(whole.get("event_id").asText()).isEqualTo(r.body().get("event_id").asText());
    assertThat(whole.get("tenant_id").asText()).isEqualTo(tenant.id());
    assertThat(whole.at("/principal/subject_id").asText()).isEqualTo("monco:user:max");
    assertThat(whole.at("/constraints/max_amount/amount").asInt()).isEqualTo(1000);

    String principalOnly = presenting(credential, "principal");
    String tenantDisclosure = disclosures(credential).get("tenant_id");
    assertThat(principalOnly).isNotNull();
    assertThat(tenantDisclosure).isNotNull();
    JsonNode presented = KeycloakSdJwt.verify(principalOnly, kid, jwk);
    assertThat(presented.at("/principal/subject_id").asText()).isEqualTo("monco:user:max");
    assertThat(presented.has("tenant_id")).as(presented.toString()).isFalse();
    assertThat(presented.has("constraints")).isFalse();
    assertThat(presented.get("decision").asText()).isEqualTo("ALLOW");

    String json = new String(Base64.getUrlDecoder().decode(tenantDisclosure), StandardCharsets.UTF_8);
    String forged = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.replace(tenant.id(), Ids.next(Ids.TENANT)).getBytes(StandardCharsets.UTF_8));
    String altered = credential.replace(tenantDisclosure, forged);
    assertThatThrownBy(() -> KeycloakSdJwt.verify(altered, kid, jwk))
        .isInstanceOf(org.keycloak.common.VerificationException.class)
        .as("refused for its disclosure, the signature being good")
        .hasMessageNotContaining("Signature could not be verified");
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.interfaces.ECPublicKey other =
        (java.security.interfaces.ECPublicKey) generator.generateKeyPair().getPublic();
    JsonNode otherJwk = JSON.createObjectNode().put("kty", "EC").put("crv", "P-256")
        .put("x", unsigned32(other.getW().getAffineX())).put("y", unsigned32(other.getW().getAffineY()));
    assertThatThrownBy(() -> KeycloakSdJwt.verify(credential, kid, otherJwk))
        .isInstanceOf(org.keycloak.common.VerificationException.class)
        .hasMessageContaining("Signature could not be verified");
  }

  /** A P-256 coordinate as a JWK writes it: 32 bytes, big-endian, base64url. */
  private static String unsigned32(java.math.BigInteger coordinate) {
    byte[] raw = coordinate.toByteArray();
    byte[] fixed = new byte[32];
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, fixed, 32 - length, length);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
  }

  @Test
  void aTamperedDisclosure_isRejected() throws Exception {
    TestApp.Tenant tenant = tenantWithMandate();
    String credential = api.post(tenant, POM, PERMITTED).body().at("/proof_of_mandate/credential").asText();
    String tenantDisclosure = credential.split("~")[1];
    String json = new String(Base64.getUrlDecoder().decode(tenantDisclosure), StandardCharsets.UTF_8);
    assertThat(json).contains(tenant.id());
    String forged = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(json.replace(tenant.id(), Ids.next(Ids.TENANT)).getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> IndependentSdJwtVerifier.verify(
            credential.replace(tenantDisclosure, forged), resolver(didDocument()), Instant.now()))
        .isInstanceOf(IndependentSdJwtVerifier.Rejected.class)
        .hasMessageContaining("not in _sd");
  }

  @Test
  void theDecisionsAuditEvent_recordsThatAProofWasIssued() {
    TestApp.Tenant tenant = tenantWithMandate();
    String eventId = api.post(tenant, POM, PERMITTED).body().get("event_id").asText();

    JsonNode event = await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> api.get(tenant, "/v1/events/" + eventId), r -> r.status() == 200)
        .body();

    assertThat(event.get("event_type").asText()).isEqualTo("VERIFICATION_ALLOWED");
    assertThat(event.at("/details/proof_issued").asBoolean()).isTrue();
  }

  @Test
  void aDeny_getsNoProof() {
    TestApp.Tenant tenant = tenantWithMandate();

    Api.Response r = api.post(tenant, POM, """
        {"delegate_subject_id": "monco:agent:a1", "action": "construction.billing.pay",
         "resource": "monco:project:p1/zone:EG", "context": {"amount": 250, "currency": "EUR"}}""");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("decision").asText()).isEqualTo("DENY");
    assertThat(r.body().has("proof_of_mandate")).isFalse();
  }

  @Test
  void anotherPomFormat_is400_namingTheParameter() {
    TestApp.Tenant tenant = app.newTenant();

    Api.Response r = api.post(tenant, "/v1/verify?pom=other", PERMITTED);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("code").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(r.body().at("/details/0/param").asText()).isEqualTo("pom");
    assertThat(r.body().at("/details/0/location").asText()).isEqualTo("query");
  }

  @Test
  void theDidDocument_publishesEveryKey_withPublicMembersOnly() {
    JsonNode document = didDocument();

    assertThat(document.get("@context").get(0).asText()).isEqualTo("https://www.w3.org/ns/did/v1");
    List<String> ids = new ArrayList<>();
    for (JsonNode method : document.get("verificationMethod")) {
      ids.add(method.get("id").asText());
      assertThat(method.get("type").asText()).isEqualTo("JsonWebKey2020");
      assertThat(method.get("controller").asText()).isEqualTo(document.get("id").asText());
      assertThat(method.get("publicKeyJwk").get("crv").asText()).isEqualTo("P-256");
      assertThat(method.get("publicKeyJwk").has("d")).isFalse();
    }
    assertThat(ids).isNotEmpty();
    assertThat(document.get("assertionMethod")).extracting(JsonNode::asText).containsExactlyElementsOf(ids);
    assertThat(document.get("authentication")).hasSize(1);
    assertThat(document.get("service")).isNotEmpty();
  }
}
