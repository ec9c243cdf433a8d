package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tenant's credential never reads or changes another tenant's mandates or audit events: they are
 * 404 to it, its lists show only its own, and another tenant's cursor is refused.
 */
class TenantIsolationIT {

  private static TestApp app;
  private static Api api;
  private static TestApp.Tenant owner;
  private static TestApp.Tenant other;
  private static String mandateId;

  @BeforeAll
  static void setUp() {
    app = TestApp.shared();
    api = app.api;
    owner = app.newTenant();
    other = app.newTenant();
    mandateId = MandateLifecycleIT.create(owner);
    MandateLifecycleIT.awaitMandate(owner, mandateId, "ACTIVE", 0);
  }

  @Test
  void get_ofAnotherTenantsMandate_is404() {
    Api.Response r = api.get(other, "/v1/mandates/" + mandateId);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().get("code").asText()).isEqualTo("NOT_FOUND");
    // HEAD is answered by the GET handler: no ETag (the version) of another tenant's mandate
    Api.Response head = api.send(other, "HEAD", "/v1/mandates/" + mandateId, null, java.util.Map.of());
    assertThat(head.status()).isEqualTo(404);
    assertThat(head.header("ETag")).isNull();
    assertThat(api.send(owner, "HEAD", "/v1/mandates/" + mandateId, null, java.util.Map.of()).header("ETag"))
        .isNotNull();
  }

  @Test
  void list_showsOnlyTheCallersMandates() {
    assertThat(api.get(other, "/v1/mandates").body().get("mandates")).isEmpty();
    assertThat(api.get(owner, "/v1/mandates").body().get("mandates"))
        .isNotEmpty()
        .allSatisfy(m -> assertThat(m.get("tenant_id").asText()).isEqualTo(owner.id()))
        .anySatisfy(m -> assertThat(m.get("mandate_id").asText()).isEqualTo(mandateId));
  }

  @Test
  void cursor_ofAnotherTenant_isRefused() {
    for (int i = 0; i < 2; i++) {
      MandateLifecycleIT.create(owner);
    }
    org.awaitility.Awaitility.await()
        .until(() -> api.get(owner, "/v1/mandates").body().get("mandates").size() >= 3);
    String cursor = api.get(owner, "/v1/mandates?limit=1").body().at("/pagination/next_cursor").asText();
    assertThat(api.get(other, "/v1/mandates?limit=1&cursor=" + cursor).status()).isEqualTo(400);
  }

  @Test
  void transitions_onAnotherTenantsMandate_are404_andChangeNothing() {
    assertThat(api.post(other, "/v1/mandates/" + mandateId + "/suspend", "{}").status()).isEqualTo(404);
    assertThat(api.post(other, "/v1/mandates/" + mandateId + "/revoke", "{}").status()).isEqualTo(404);
    assertThat(api.post(other, "/v1/mandates/" + mandateId + "/reactivate", null).status()).isEqualTo(404);
    // whatever version If-Match names: a 409 for a version ahead of the mandate's told that it exists
    for (String version : new String[] {"\"0\"", "\"7\""}) {
      Api.Response r = api.send(other, "POST", "/v1/mandates/" + mandateId + "/suspend", "{}", Map.of("If-Match", version));
      assertThat(r.status()).as(version + ": " + r.raw().body()).isEqualTo(404);
    }
    assertThat(MandateLifecycleIT.eventCount(mandateId)).isEqualTo(1);
    assertThat(api.get(owner, "/v1/mandates/" + mandateId).body().get("status").asText()).isEqualTo("ACTIVE");
  }

  @Test
  void bearer_namingAnotherTenant_withOwnKey_is401() {
    Api.Response r =
        api.send(null, "GET", "/v1/mandates", null, Map.of("Authorization", "Bearer " + other.id() + ":" + owner.apiKey()));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body().get("code").asText()).isEqualTo("UNAUTHORIZED");
  }

  @Test
  void xApiKey_authenticatesAsTheKeysTenant() {
    Api.Response r = api.send(null, "GET", "/v1/mandates", null, Map.of("X-API-Key", other.apiKey()));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("mandates")).isEmpty();
  }

  @Test
  void missingOrWrongCredential_is401() {
    assertThat(api.get(null, "/v1/mandates").status()).isEqualTo(401);
    assertThat(api.post(null, "/v1/mandates", Api.mandateBody("x", null)).status()).isEqualTo(401);
    String wrong = owner.apiKey().substring(0, owner.apiKey().length() - 4) + "AAAA";
    Api.Response r = api.send(null, "GET", "/v1/mandates", null, Map.of("X-API-Key", wrong));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body().get("message").asText()).doesNotContain(wrong);
  }

  @Test
  void aCachedKey_stillNeedsItsSecret_andARevokedKeyIsRefusedOnceForgotten() {
    TestApp.Tenant tenant = app.newTenant();
    assertThat(api.get(tenant, "/v1/mandates").status()).isEqualTo(200); // now cached on this node
    String wrong = tenant.apiKey().substring(0, tenant.apiKey().length() - 4) + "AAAA";
    assertThat(api.send(null, "GET", "/v1/mandates", null, Map.of("X-API-Key", wrong)).status())
        .as("a cached key id with a wrong secret")
        .isEqualTo(401);

    app.jdbc().update("UPDATE api_key_credential SET revoked_at = now() WHERE key_id = ?", tenant.keyId());
    assertThat(api.get(tenant, "/v1/mandates").status())
        .as("revoked in the database: this node may use its cached row until the TTL passes")
        .isEqualTo(200);
    app.bean(com.mandateregistry.infra.security.ApiKeyCredentials.class).forget(tenant.keyId());

    Api.Response r = api.get(tenant, "/v1/mandates");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.body().get("code").asText()).isEqualTo("UNAUTHORIZED");
  }

  @Test
  void auditEvents_ofAnotherTenant_areInvisible() {
    var ownerEvents = AuditTrailIT.awaitEvents(app, owner, 3);
    String eventId = ownerEvents.get(2).get("event_id").asText();
    AuditTrailIT.awaitEvents(app, other, 2);

    Api.Response one = api.get(other, "/v1/events/" + eventId);
    assertThat(one.status()).isEqualTo(404);
    assertThat(one.body().get("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(api.get(owner, "/v1/events/" + eventId).status()).isEqualTo(200);

    Api.Response mandateEvents = api.get(other, "/v1/mandates/" + mandateId + "/events");
    assertThat(mandateEvents.status()).isEqualTo(404);
    assertThat(api.get(owner, "/v1/mandates/" + mandateId + "/events").status()).isEqualTo(200);

    var seen = AuditTrailIT.allEvents(app, other, "/v1/events");
    assertThat(seen).isNotEmpty()
        .allSatisfy(e -> assertThat(e.get("tenant_id").asText()).isEqualTo(other.id()))
        .noneSatisfy(e -> assertThat(e.get("event_id").asText()).isEqualTo(eventId));
    assertThat(AuditTrailIT.allEvents(app, other, "/v1/events?event_type=MANDATE_CREATED")).isEmpty();

    var head = api.get(other, "/v1/ledger/head").body();
    assertThat(head.get("tenant_id").asText()).isEqualTo(other.id());
    assertThat(head.get("sequence").asLong()).isEqualTo(seen.size());
  }

  @Test
  void auditEventCursor_ofAnotherTenant_isRefused() {
    AuditTrailIT.awaitEvents(app, owner, 3);
    String cursor = api.get(owner, "/v1/events?limit=1").body().at("/pagination/next_cursor").asText();
    assertThat(api.get(owner, "/v1/events?limit=1&cursor=" + cursor).status()).isEqualTo(200);
    Api.Response r = api.get(other, "/v1/events?limit=1&cursor=" + cursor);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().get("code").asText()).isEqualTo("VALIDATION_ERROR");
  }
}
