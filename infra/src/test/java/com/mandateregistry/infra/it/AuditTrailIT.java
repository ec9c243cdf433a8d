package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.api.Ids;
import com.mandateregistry.ledger.cli.LedgerCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The audit trail end to end: every write of a tenant reaches its hash chain through the Kafka
 * topic, the 004 "Events" endpoints serve it, and the compliance CLI exports it through the API and
 * verifies it offline.
 */
class AuditTrailIT {

  private static TestApp app;
  private static Api api;

  @BeforeAll
  static void start() {
    app = TestApp.shared();
    api = app.api;
  }

  /** Polls the tenant's trail until it holds at least {@code count} events; returns them all. */
  static List<JsonNode> awaitEvents(TestApp target, TestApp.Tenant tenant, int count) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> allEvents(target, tenant, "/v1/events"), events -> events.size() >= count);
  }

  /** Follows the cursor through every page of {@code path}. */
  static List<JsonNode> allEvents(TestApp target, TestApp.Tenant tenant, String path) {
    return allEvents(target.api, tenant, path);
  }

  /** As {@link #allEvents(TestApp, TestApp.Tenant, String)}, through any client. */
  static List<JsonNode> allEvents(Api api, TestApp.Tenant tenant, String path) {
    List<JsonNode> events = new ArrayList<>();
    String cursor = null;
    do {
      String sep = path.contains("?") ? "&" : "?";
      Api.Response r =
          api.get(tenant, path + sep + "limit=200" + (cursor == null ? "" : "&cursor=" + cursor));
      if (r.status() == 404) {
        return events;
      }
      assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
      r.body().get("events").forEach(events::add);
      cursor = r.body().get("pagination").get("has_more").asBoolean()
          ? r.body().get("pagination").get("next_cursor").asText()
          : null;
    } while (cursor != null);
    return events;
  }

  @Test
  void everyEventOfTheTenant_isChainedInOrder_withTypesActorsAndDetails() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    Api.Response suspended =
        api.send(tenant, "POST", "/v1/mandates/" + id + "/suspend", "{\"reason\": \"audit pending\"}",
            Map.of("X-Request-ID", "req-audit-1"));
    assertThat(suspended.status()).isEqualTo(200);
    api.post(tenant, "/v1/mandates/" + id + "/reactivate", null);
    api.post(tenant, "/v1/mandates/" + id + "/revoke", "{\"reason\": \"Contract terminated\"}");

    List<JsonNode> events = awaitEvents(app, tenant, 6);

    assertThat(events).hasSize(6);
    assertThat(events).extracting(e -> e.get("event_type").asText())
        .containsExactly("TENANT_REGISTERED", "API_KEY_ISSUED", "MANDATE_CREATED",
            "MANDATE_SUSPENDED", "MANDATE_REACTIVATED", "MANDATE_REVOKED");
    String previous = "0".repeat(64);
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      assertThat(e.get("sequence").asLong()).isEqualTo(i + 1);
      assertThat(e.get("tenant_id").asText()).isEqualTo(tenant.id());
      assertThat(e.get("previous_event_hash").asText()).isEqualTo(previous);
      assertThat(e.get("event_hash").asText()).matches("[0-9a-f]{64}").isNotEqualTo(previous);
      assertThat(e.get("kms_signature").asText()).matches("[A-Za-z0-9_-]{80,}");
      assertThat(e.get("hash_algorithm").asText()).isEqualTo("SHA-256");
      assertThat(e.get("signing_algorithm").asText()).isEqualTo("ES256-MERKLE");
      assertThat(e.get("merkle_proof").get("tree_size").asLong()).isPositive();
      assertThat(Ids.isValid(Ids.EVENT, e.get("event_id").asText())).as(e.get("event_id").asText()).isTrue();
      previous = e.get("event_hash").asText();
    }
    assertThat(events.subList(0, 2)).allSatisfy(e -> assertThat(e.get("mandate_id").isNull()).isTrue());
    assertThat(events.subList(2, 6)).allSatisfy(e -> assertThat(e.get("mandate_id").asText()).isEqualTo(id));

    JsonNode created = events.get(2);
    assertThat(created.get("actor").get("type").asText()).isEqualTo("api_key");
    assertThat(created.get("actor").get("id").asText()).isEqualTo(tenant.keyId());
    assertThat(created.get("details").get("delegate").get("subject_id").asText()).isEqualTo("monco:agent:a1");
    assertThat(created.get("details").get("scope").get("effect").asText()).isEqualTo("ALLOW");
    assertThat(created.get("details").has("tenant_id")).isFalse();

    JsonNode suspension = events.get(3);
    assertThat(suspension.get("details").get("reason").asText()).isEqualTo("audit pending");
    assertThat(suspension.get("details").get("correlation_id").asText()).isEqualTo("req-audit-1");
    assertThat(events.get(5).get("details").get("reason").asText()).isEqualTo("Contract terminated");

    JsonNode keyIssued = events.get(1);
    assertThat(keyIssued.get("details").get("key_id").asText()).isEqualTo(tenant.keyId());
  }

  @Test
  void mandateEvents_listOnlyThatMandate_andPageWithTheCursor() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    String other = MandateLifecycleIT.create(tenant);
    api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}");
    api.post(tenant, "/v1/mandates/" + id + "/reactivate", null);
    api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}");
    awaitEvents(app, tenant, 7);

    Api.Response first = api.get(tenant, "/v1/mandates/" + id + "/events?limit=3");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("events")).hasSize(3);
    assertThat(first.body().get("pagination").get("has_more").asBoolean()).isTrue();
    String cursor = first.body().get("pagination").get("next_cursor").asText();
    Api.Response second = api.get(tenant, "/v1/mandates/" + id + "/events?limit=3&cursor=" + cursor);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body().get("events")).hasSize(1);
    assertThat(second.body().get("pagination").get("has_more").asBoolean()).isFalse();
    assertThat(second.body().get("pagination").get("next_cursor").isNull()).isTrue();

    List<JsonNode> all = new ArrayList<>();
    first.body().get("events").forEach(all::add);
    second.body().get("events").forEach(all::add);
    assertThat(all).extracting(e -> e.get("event_type").asText())
        .containsExactly("MANDATE_CREATED", "MANDATE_SUSPENDED", "MANDATE_REACTIVATED", "MANDATE_SUSPENDED");
    assertThat(all).allSatisfy(e -> assertThat(e.get("mandate_id").asText()).isEqualTo(id));
    assertThat(all).extracting(e -> e.get("sequence").asLong()).isSorted();

    assertThat(allEvents(app, tenant, "/v1/mandates/" + other + "/events"))
        .extracting(e -> e.get("event_type").asText())
        .containsExactly("MANDATE_CREATED");
  }

  @Test
  void eventTypeFilter_narrowsTheTenantsTrail() {
    TestApp.Tenant tenant = app.newTenant();
    String a = MandateLifecycleIT.create(tenant);
    String b = MandateLifecycleIT.create(tenant);
    api.post(tenant, "/v1/mandates/" + a + "/revoke", "{}");
    api.post(tenant, "/v1/mandates/" + b + "/suspend", "{}");
    awaitEvents(app, tenant, 6);

    List<JsonNode> created = allEvents(app, tenant, "/v1/events?event_type=MANDATE_CREATED");
    assertThat(created).extracting(e -> e.get("mandate_id").asText()).containsExactly(a, b);
    assertThat(allEvents(app, tenant, "/v1/events?event_type=MANDATE_REVOKED"))
        .extracting(e -> e.get("mandate_id").asText()).containsExactly(a);
    assertThat(allEvents(app, tenant, "/v1/events?event_type=VERIFICATION_ALLOWED")).isEmpty();
    assertThat(allEvents(app, tenant, "/v1/events?event_type=API_KEY_ISSUED")).hasSize(1);

    // a cursor belongs to its filter: the unfiltered list refuses the filtered list's cursor
    Api.Response page = api.get(tenant, "/v1/events?event_type=MANDATE_CREATED&limit=1");
    String cursor = page.body().get("pagination").get("next_cursor").asText();
    assertThat(api.get(tenant, "/v1/events?limit=1&cursor=" + cursor).status()).isEqualTo(400);
    assertThat(api.get(tenant, "/v1/events?event_type=MANDATE_CREATED&limit=1&cursor=" + cursor)
        .body().get("events").get(0).get("mandate_id").asText()).isEqualTo(b);
  }

  @Test
  void eventById_isTheListedEntry_andUnknownIdsAre404() {
    TestApp.Tenant tenant = app.newTenant();
    MandateLifecycleIT.create(tenant);
    JsonNode listed = awaitEvents(app, tenant, 3).get(2);

    Api.Response one = api.get(tenant, "/v1/events/" + listed.get("event_id").asText());
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.body()).isEqualTo(listed);

    for (String unknown : List.of(Ids.next(Ids.EVENT), "evt_nope", "mdt_01HXYZ00000000000000000000")) {
      Api.Response r = api.get(tenant, "/v1/events/" + unknown);
      assertThat(r.status()).as(unknown).isEqualTo(404);
      assertThat(r.body().get("code").asText()).isEqualTo("NOT_FOUND");
    }
    Api.Response noMandate = api.get(tenant, "/v1/mandates/" + Ids.next(Ids.MANDATE) + "/events");
    assertThat(noMandate.status()).isEqualTo(404);
    assertThat(noMandate.body().get("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(api.get(tenant, "/v1/mandates/not-an-id/events").status()).isEqualTo(404);
  }

  @Test
  void badPagingInput_is400_inTheErrorShape_andChangesNothing() {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    int before = awaitEvents(app, tenant, 3).size();
    String good = api.get(tenant, "/v1/events?limit=1").body().get("pagination").get("next_cursor").asText();
    String tampered = (good.charAt(0) == 'A' ? 'B' : 'A') + good.substring(1);

    for (String path : List.of(
        "/v1/events?limit=0",
        "/v1/events?limit=201",
        "/v1/events?limit=ten",
        "/v1/events?cursor=" + tampered,
        "/v1/events?cursor=not-base64!",
        "/v1/events?event_type=MANDATE_DELETED",
        "/v1/events?event_type=mandate_created",
        "/v1/mandates/" + id + "/events?limit=0",
        "/v1/mandates/" + id + "/events?cursor=" + good)) {
      Api.Response r = api.get(tenant, path);
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.body().get("code").asText()).as(path).isEqualTo("VALIDATION_ERROR");
      assertThat(r.body().get("details")).as(path).isNotEmpty();
      assertThat(r.body().get("details").get(0).get("location").asText()).as(path).isEqualTo("query");
    }
    assertThat(allEvents(app, tenant, "/v1/events")).hasSize(before);
  }

  @Test
  void theEndpointsNeedACredential_butTheLedgerKeysArePublic() {
    TestApp.Tenant tenant = app.newTenant();
    JsonNode first = awaitEvents(app, tenant, 1).get(0);
    for (String path : List.of("/v1/events", "/v1/events/" + first.get("event_id").asText(),
        "/v1/mandates/" + Ids.next(Ids.MANDATE) + "/events", "/v1/ledger/head")) {
      Api.Response r = api.get(null, path);
      assertThat(r.status()).as(path).isEqualTo(401);
      assertThat(r.body().get("code").asText()).isEqualTo("UNAUTHORIZED");
    }

    Api.Response keys = api.get(null, "/v1/ledger/keys");
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.body().get("keys")).isNotEmpty();
    JsonNode key = keys.body().get("keys").get(0);
    assertThat(key.get("kid").asText()).isEqualTo(first.get("key_id").asText());
    assertThat(key.get("kty").asText()).isEqualTo("EC");
    assertThat(key.get("crv").asText()).isEqualTo("P-256");
    assertThat(key.get("alg").asText()).isEqualTo("ES256");
    assertThat(key.has("nbf")).isTrue();
    assertThat(key.has("d")).as("no private key material").isFalse();
  }

  @Test
  void theTrail_exportsThroughTheApi_andVerifiesOfflineAgainstThePublishedHead(@TempDir Path dir)
      throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.create(tenant);
    api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}");
    List<JsonNode> events = awaitEvents(app, tenant, 4);
    JsonNode head = api.get(tenant, "/v1/ledger/head").body();
    assertThat(head.get("sequence").asLong()).isEqualTo(events.size());
    assertThat(head.get("event_hash").asText()).isEqualTo(events.get(events.size() - 1).get("event_hash").asText());

    Path trail = dir.resolve("trail.jsonl");
    Run export = cli("export", "--tenant", tenant.id(), "--api", api.base, "--api-key", tenant.apiKey(),
        "--page-size", "2", "-o", trail.toString());
    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(Files.readAllLines(trail)).hasSize(1 + events.size());
    // batch-signed entries (ledger format v2) keep their proofs through the API and the export
    assertThat(Files.readAllLines(trail).subList(1, 1 + events.size()))
        .allSatisfy(line -> assertThat(line).contains("\"signing_algorithm\":\"ES256-MERKLE\"")
            .contains("\"merkle_proof\":{\"leaf_index\":"));

    Run verify = cli("verify", trail.toString(), "--expect-head", head.get("event_hash").asText(),
        "--expect-count", Long.toString(head.get("sequence").asLong()));
    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains(events.size() + " entries");

    // one edited detail in the export: verify names that entry
    List<String> lines = new ArrayList<>(Files.readAllLines(trail));
    lines.set(3, lines.get(3).replace("\"monco:agent:a1\"", "\"monco:agent:evil\""));
    Files.write(trail, lines);
    Run broken = cli("verify", trail.toString());
    assertThat(broken.exit()).isEqualTo(LedgerCli.BROKEN);
    assertThat(broken.out() + broken.err()).contains("sequence 3").contains(events.get(2).get("event_id").asText());
  }

  @Test
  void theApiKeySecret_neverReachesTheLedger() {
    TestApp.Tenant tenant = app.newTenant();
    awaitEvents(app, tenant, 2);
    String secret = tenant.secret();
    assertThat(secret).hasSize(43);
    Integer rows =
        app.jdbc().queryForObject(
            "SELECT count(*) FROM ledger_entry WHERE tenant_id = ?"
                + " AND (position(? in details::text) > 0 OR position(? in actor::text) > 0)",
            Integer.class, tenant.id(), secret, secret);
    Integer all = app.jdbc().queryForObject(
        "SELECT count(*) FROM ledger_entry WHERE tenant_id = ?", Integer.class, tenant.id());
    assertThat(all).isEqualTo(2);
    assertThat(rows).isZero();
  }

  record Run(int exit, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = LedgerCli.commandLine(new LedgerCli());
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
