package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.infra.security.ApiKeyCredentials;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An API key does only what its scopes allow (README, "Security"): {@code mandates:read} reads
 * mandates and the trail and verifies, {@code mandates:write} creates and changes mandates, {@code
 * mandates:verify} only verifies. Anything else is 403 in the error shape and changes nothing.
 */
class ApiKeyScopesIT {

  private static final String DELEGATE = "monco:agent:scoped";
  private static final String VERIFY_BODY =
      """
      {"delegate_subject_id": "%s", "action": "construction.validation.approve",
       "resource": "monco:project:p1/zone:EG"}
      """
          .formatted(DELEGATE);
  private static final String EVALUATION_BODY =
      AuthZenIT.evaluation(
          "{\"type\": \"agent\", \"id\": \"" + DELEGATE + "\"}",
          "{\"name\": \"construction.validation.approve\"}",
          "{\"type\": \"monco:project\", \"id\": \"p1/zone:EG\"}",
          null);

  private static TestApp app;
  private static Api api;
  private static TestApp.Tenant tenant;
  private static String mandateId;

  @BeforeAll
  static void setUp() {
    app = TestApp.shared();
    api = app.api;
    tenant = app.newTenant();
    Api.Response created = api.post(tenant, "/v1/mandates", Api.mandateBody(DELEGATE, null));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    mandateId = created.body().get("mandate_id").asText();
    MandateLifecycleIT.awaitMandate(tenant, mandateId, "ACTIVE", 0);
  }

  private static void assertForbidden(Api.Response r) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(403);
    assertThat(r.body().get("code").asText()).isEqualTo("FORBIDDEN");
    assertThat(r.body().get("message").asText()).contains("scope");
    assertThat(r.body().get("details").isArray()).isTrue();
  }

  private static int mandateEvents() {
    return app.storedEvents(tenant.id(), "Mandate");
  }

  private static int decisions() {
    return app.storedEvents(tenant.id(), "Verification");
  }

  @Test
  void readScope_readsAndVerifies_butCannotWrite() {
    TestApp.Tenant reader = app.newKey(tenant, ApiKeyCredentials.MANDATES_READ);
    assertThat(api.get(reader, "/v1/mandates").status()).isEqualTo(200);
    assertThat(api.get(reader, "/v1/mandates/" + mandateId).status()).isEqualTo(200);
    // (404 until the audit ledger has caught up with the new tenant: allowed, just not yet there)
    assertThat(api.get(reader, "/v1/mandates/" + mandateId + "/events").status()).isIn(200, 404);
    assertThat(api.get(reader, "/v1/events").status()).isEqualTo(200);
    assertThat(api.get(reader, "/v1/ledger/head").status()).isIn(200, 404);
    assertThat(api.post(reader, "/v1/verify", VERIFY_BODY).status()).isEqualTo(200);
    assertThat(api.post(reader, "/access/v1/evaluation", EVALUATION_BODY).status()).isEqualTo(200);

    int before = mandateEvents();
    assertForbidden(api.post(reader, "/v1/mandates", Api.mandateBody("monco:agent:other", null)));
    assertForbidden(api.post(reader, "/v1/mandates/" + mandateId + "/suspend", "{}"));
    assertForbidden(api.post(reader, "/v1/mandates/" + mandateId + "/revoke", "{\"reason\": \"no\"}"));
    assertThat(mandateEvents()).isEqualTo(before);
    assertThat(api.get(tenant, "/v1/mandates/" + mandateId).body().get("status").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void writeScope_changesMandates_butCannotReadOrVerify() {
    TestApp.Tenant writer = app.newKey(tenant, ApiKeyCredentials.MANDATES_WRITE);
    Api.Response created = api.post(writer, "/v1/mandates", Api.mandateBody("monco:agent:written", null));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);

    int decided = decisions();
    assertForbidden(api.get(writer, "/v1/mandates"));
    assertForbidden(api.get(writer, "/v1/mandates/" + mandateId));
    assertForbidden(api.get(writer, "/v1/events"));
    assertForbidden(api.get(writer, "/v1/ledger/head"));
    assertForbidden(api.post(writer, "/v1/verify", VERIFY_BODY));
    assertForbidden(api.post(writer, "/access/v1/evaluation", EVALUATION_BODY));
    assertThat(decisions()).isEqualTo(decided);
  }

  @Test
  void verifyScope_onlyVerifies() {
    TestApp.Tenant verifier = app.newKey(tenant, ApiKeyCredentials.MANDATES_VERIFY);
    Api.Response verified = api.post(verifier, "/v1/verify", VERIFY_BODY);
    assertThat(verified.status()).as(verified.raw().body()).isEqualTo(200);
    assertThat(verified.body().get("decision").asText()).isIn("ALLOW", "DENY");
    assertThat(api.post(verifier, "/access/v1/evaluation", EVALUATION_BODY).status()).isEqualTo(200);
    assertThat(
            api.post(verifier, "/access/v1/evaluations", "{\"evaluations\": [" + EVALUATION_BODY + "]}")
                .status())
        .isEqualTo(200);

    int before = mandateEvents();
    assertForbidden(api.get(verifier, "/v1/mandates"));
    assertForbidden(api.get(verifier, "/v1/mandates/" + mandateId));
    assertForbidden(api.get(verifier, "/v1/events"));
    assertForbidden(api.post(verifier, "/v1/mandates", Api.mandateBody("monco:agent:x", null)));
    assertForbidden(api.post(verifier, "/v1/mandates/" + mandateId + "/revoke", "{}"));
    assertThat(mandateEvents()).isEqualTo(before);
  }

  @Test
  void keyWithoutScopes_mayDoNothing_butPublicEndpointsStayOpen() {
    TestApp.Tenant none = app.newKey(tenant);
    assertForbidden(api.get(none, "/v1/mandates"));
    assertForbidden(api.post(none, "/v1/verify", VERIFY_BODY));
    assertForbidden(api.post(none, "/v1/mandates", Api.mandateBody("monco:agent:y", null)));
    assertThat(api.get(none, "/v1/ledger/keys").status()).isEqualTo(200);
    assertThat(api.get(none, "/.well-known/did.json").status()).isEqualTo(200);
    Api.Response health = api.get(null, "/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().get("status").asText()).isEqualTo("UP");
    assertThat(health.body().has("components")).isFalse();
  }

  /**
   * HEAD is answered by the GET handler: its status (does the mandate exist?), ETag (its version)
   * and Content-Length say what the GET would. So it needs {@code mandates:read} as GET does, for
   * every read path, whatever other scopes the key has.
   */
  @Test
  void head_onEveryReadPath_needsTheReadScope_likeGet() {
    Map<String, TestApp.Tenant> lacking = new LinkedHashMap<>();
    lacking.put("mandates:verify", app.newKey(tenant, ApiKeyCredentials.MANDATES_VERIFY));
    lacking.put("mandates:write", app.newKey(tenant, ApiKeyCredentials.MANDATES_WRITE));
    lacking.put("no scope", app.newKey(tenant));
    List<String> paths =
        List.of(
            "/v1/mandates/" + mandateId,
            "/v1/mandates/mdt_01ARZ3NDEKTSV4RRFFQ69G5FAV",
            "/v1/mandates?status=ACTIVE",
            "/v1/mandates/" + mandateId + "/events",
            "/v1/events",
            "/v1/ledger/head");
    Map<String, String> seen = new LinkedHashMap<>();
    lacking.forEach(
        (scope, key) ->
            paths.forEach(
                path -> {
                  Api.Response head = api.send(key, "HEAD", path, null, Map.of());
                  seen.put(
                      "HEAD " + path + " [" + scope + "]",
                      head.status() + (head.header("ETag") == null ? "" : " ETag " + head.header("ETag")));
                }));
    assertThat(seen).as("HEAD with keys lacking mandates:read").allSatisfy((call, answer) -> assertThat(answer)
        .as(call).isEqualTo("403"));
    assertThat(seen).hasSize(18);

    TestApp.Tenant reader = app.newKey(tenant, ApiKeyCredentials.MANDATES_READ);
    Api.Response head = api.send(reader, "HEAD", "/v1/mandates/" + mandateId, null, Map.of());
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("ETag")).isEqualTo("\"0\"");
    assertThat(api.send(reader, "HEAD", "/v1/mandates/mdt_01ARZ3NDEKTSV4RRFFQ69G5FAV", null, Map.of()).status())
        .isEqualTo(404);
  }

  /** No listing of the actuator's endpoints, for any key; only the health endpoint, for anyone. */
  @Test
  void theActuatorListsNothing_toAnyKey() {
    for (TestApp.Tenant key : List.of(tenant, app.newKey(tenant))) {
      Api.Response listing = api.get(key, "/actuator");
      assertThat(listing.status()).as(listing.raw().body()).isEqualTo(404);
      assertThat(listing.body().get("code").asText()).isEqualTo("NOT_FOUND");
    }
  }

  /**
   * A public endpoint does not read a credential: a wrong or stale key does not stop an AuthZEN
   * client's discovery or a verifier's key fetch, while any other endpoint still refuses it.
   */
  @Test
  void anInvalidKey_doesNotMatterOnPublicEndpoints_butIsStill401Elsewhere() {
    TestApp.Tenant invalid = new TestApp.Tenant(tenant.id(), "key_x", "mrk_bad_bad");
    Map<String, String> badXApiKey = Map.of("X-API-Key", "mrk_bad_bad");
    for (String path : List.of(
        "/.well-known/authzen-configuration", "/.well-known/did.json", "/v1/ledger/keys", "/actuator/health")) {
      assertThat(api.get(invalid, path).status()).as("%s with a bad bearer key", path).isEqualTo(200);
      assertThat(api.send(null, "GET", path, null, badXApiKey).status()).as("%s with a bad X-API-Key", path)
          .isEqualTo(200);
    }
    Api.Response elsewhere = api.get(invalid, "/v1/mandates");
    assertThat(elsewhere.status()).isEqualTo(401);
    assertThat(elsewhere.header("WWW-Authenticate")).contains("invalid_token");
    assertThat(api.send(null, "POST", "/v1/verify", VERIFY_BODY, badXApiKey).status()).isEqualTo(401);
  }

  @Test
  void scopedKey_ofAnotherTenant_isStill401_not403() {
    TestApp.Tenant stranger = app.newTenant();
    TestApp.Tenant reader = app.newKey(stranger, ApiKeyCredentials.MANDATES_READ);
    // this key's own tenant, but named with another's id: not a credential of that tenant at all
    TestApp.Tenant mislabelled = new TestApp.Tenant(tenant.id(), reader.keyId(), reader.apiKey());
    Api.Response r = api.get(mislabelled, "/v1/mandates");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("invalid_token");
    // and its own tenant's data stays invisible to the first one's key
    assertThat(api.get(reader, "/v1/mandates/" + mandateId).status()).isEqualTo(404);
  }

  @Test
  void unknownScope_cannotBeIssued() {
    assertThatThrownBy(() -> app.newKey(tenant, "mandates:everything"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no such scope");
    assertThat(
            app.jdbc()
                .queryForObject(
                    "SELECT count(*) FROM api_key_credential WHERE tenant_id = ? AND scopes LIKE ?",
                    Integer.class,
                    tenant.id(),
                    "%everything%"))
        .isZero();
    assertThat(ApiKeyCredentials.ALL_SCOPES)
        .isEqualTo(List.of("mandates:read", "mandates:write", "mandates:verify"));
  }
}
