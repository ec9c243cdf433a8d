package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenID AuthZEN Authorization API 1.0 PDP interface end to end: {@code POST
 * /access/v1/evaluation}, {@code POST /access/v1/evaluations} and {@code GET
 * /.well-known/authzen-configuration} over the real verification, each evaluation recorded in the
 * tenant's audit trail.
 */
class AuthZenIT {

  private static final String EVALUATION = "/access/v1/evaluation";
  private static final String EVALUATIONS = "/access/v1/evaluations";
  private static final String REQUEST_ID = "bfe9eb29-ab87-4ca3-be83-a1d5d8305716";

  /** Members within the scope of {@link MandateLifecycleIT#create}'s mandate (max 1000 EUR). */
  private static final String SUBJECT = "{\"type\": \"ai_agent\", \"id\": \"monco:agent:a1\"}";
  private static final String ACTION = "{\"name\": \"construction.validation.approve\"}";
  private static final String RESOURCE = "{\"type\": \"monco:project\", \"id\": \"p1/zone:EG\"}";
  private static final String CONTEXT = "{\"amount\": 10, \"currency\": \"EUR\"}";

  private static TestApp app;
  private static Api api;

  @BeforeAll
  static void start() {
    app = TestApp.shared();
    api = app.api;
  }

  static String evaluation(String subject, String action, String resource, String context) {
    Map<String, String> members = new LinkedHashMap<>();
    members.put("subject", subject);
    members.put("action", action);
    members.put("resource", resource);
    members.put("context", context);
    return members.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .map(e -> "\"" + e.getKey() + "\": " + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  static String permitted() {
    return evaluation(SUBJECT, ACTION, RESOURCE, CONTEXT);
  }

  /**
   * Polls {@code POST /access/v1/evaluation} until the in-memory index permits {@code body}; hands
   * every decision's event id to {@code seen}.
   */
  static JsonNode awaitPermit(TestApp.Tenant tenant, String body, Consumer<String> seen) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> {
          Api.Response r = api.post(tenant, EVALUATION, body);
          if (r.status() == 200) {
            seen.accept(r.body().at("/context/id").asText());
          }
          return r;
        }, r -> r.status() == 200 && r.body().get("decision").asBoolean())
        .body();
  }

  /** The event ids of the tenant's trail of one type. */
  static Set<String> trail(TestApp.Tenant tenant, String eventType) {
    return AuditTrailIT.allEvents(app, tenant, "/v1/events?event_type=" + eventType).stream()
        .map(e -> e.get("event_id").asText())
        .collect(Collectors.toSet());
  }

  /** Polls until every id of {@code ids} is in the tenant's trail of {@code eventType}. */
  static Set<String> awaitInTrail(TestApp.Tenant tenant, String eventType, Set<String> ids) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> trail(tenant, eventType), t -> t.containsAll(ids));
  }

  static List<Boolean> decisions(Api.Response r) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    assertThat(r.body().has("decision")).as("no top-level decision next to evaluations").isFalse();
    List<Boolean> decisions = new ArrayList<>();
    r.body().get("evaluations").forEach(e -> decisions.add(e.get("decision").asBoolean()));
    return decisions;
  }

  @Test
  void aPermitIsDecisionTrue_aDenyIs200False_andEachIsRecordedInTheAuditTrail() {
    TestApp.Tenant tenant = app.newTenant();
    String mandate = MandateLifecycleIT.create(tenant);
    Set<String> seen = new HashSet<>();
    awaitPermit(tenant, permitted(), seen::add);

    Api.Response permit = api.post(tenant, EVALUATION, permitted());
    assertThat(permit.status()).isEqualTo(200);
    assertThat(permit.header("Content-Type")).startsWith("application/json");
    JsonNode allowed = permit.body();
    assertThat(allowed.get("decision").isBoolean()).isTrue();
    assertThat(allowed.get("decision").asBoolean()).isTrue();
    assertThat(allowed.at("/context/id").asText()).startsWith("evt_");
    assertThat(allowed.at("/context/mandate_id").asText()).isEqualTo(mandate);
    assertThat(allowed.at("/context/reason_codes")).isEmpty();
    assertThat(allowed.at("/context/constraints_remaining").isObject()).isTrue();

    Api.Response outOfScope = api.post(tenant, EVALUATION,
        evaluation(SUBJECT, "{\"name\": \"finance.payment.execute\"}", RESOURCE, CONTEXT));
    assertThat(outOfScope.status()).isEqualTo(200);
    assertThat(outOfScope.body().get("decision").asBoolean()).isFalse();
    assertThat(outOfScope.body().at("/context/reason_codes")).extracting(JsonNode::asText)
        .containsExactly("NO_MATCHING_MANDATE");
    assertThat(outOfScope.body().get("context").has("mandate_id")).as("null members are left out").isFalse();

    Api.Response tooMuch = api.post(tenant, EVALUATION,
        evaluation(SUBJECT, ACTION, RESOURCE, "{\"amount\": 5000, \"currency\": \"EUR\"}"));
    assertThat(tooMuch.status()).isEqualTo(200);
    assertThat(tooMuch.body().get("decision").asBoolean()).isFalse();
    assertThat(tooMuch.body().at("/context/reason_codes")).extracting(JsonNode::asText)
        .containsExactly("AMOUNT_EXCEEDED");
    assertThat(tooMuch.body().at("/context/mandate_id").asText()).isEqualTo(mandate);

    Api.Response typedId = api.post(tenant, EVALUATION, evaluation(SUBJECT, ACTION,
        "{\"type\": \"monco:project\", \"id\": \"monco:project:p1/zone:EG\"}", CONTEXT));
    assertThat(typedId.body().get("decision").asBoolean()).as("an id that carries its type").isTrue();

    String allowedId = allowed.at("/context/id").asText();
    awaitInTrail(tenant, "VERIFICATION_ALLOWED", Set.of(allowedId, typedId.body().at("/context/id").asText()));
    awaitInTrail(tenant, "VERIFICATION_DENIED",
        Set.of(outOfScope.body().at("/context/id").asText(), tooMuch.body().at("/context/id").asText()));
    JsonNode event = api.get(tenant, "/v1/events/" + allowedId).body();
    assertThat(event.get("mandate_id").asText()).isEqualTo(mandate);
    assertThat(event.at("/details/action").asText()).isEqualTo("construction.validation.approve");
    assertThat(event.at("/details/resource").asText()).isEqualTo("monco:project:p1/zone:EG");
    assertThat(event.at("/actor/id").asText()).isEqualTo(tenant.keyId());
  }

  @Test
  void eachMissingMemberOrField_is400InTheErrorShape_andRecordsNothing() {
    TestApp.Tenant tenant = app.newTenant();
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put(evaluation(null, ACTION, RESOURCE, null), "subject");
    cases.put(evaluation(SUBJECT, null, RESOURCE, null), "action");
    cases.put(evaluation(SUBJECT, ACTION, null, null), "resource");
    cases.put(evaluation("{\"id\": \"monco:agent:a1\"}", ACTION, RESOURCE, null), "subject.type");
    cases.put(evaluation("{\"type\": \"ai_agent\"}", ACTION, RESOURCE, null), "subject.id");
    cases.put(evaluation(SUBJECT, "{}", RESOURCE, null), "action.name");
    cases.put(evaluation(SUBJECT, ACTION, "{\"id\": \"p1\"}", null), "resource.type");
    cases.put(evaluation(SUBJECT, ACTION, "{\"type\": \"monco:project\"}", null), "resource.id");
    cases.put(evaluation("\"alice\"", ACTION, RESOURCE, null), "subject");
    cases.put(evaluation(SUBJECT, "{\"name\": 123}", RESOURCE, null), "action.name");
    cases.put(evaluation(SUBJECT, "{\"name\": \"Not An Action\"}", RESOURCE, null), "action.name");
    cases.put(evaluation(SUBJECT, ACTION, "{\"type\": \"monco:project\", \"id\": \"p1//x\"}", null), "resource");
    cases.put(evaluation(SUBJECT, ACTION, RESOURCE, "{\"amount\": \"lots\"}"), "context.amount");
    for (String path : List.of(EVALUATION, EVALUATIONS)) {
      cases.forEach((body, param) -> {
        Api.Response r = api.post(tenant, path, body);
        assertThat(r.status()).as(path + " " + body).isEqualTo(400);
        assertThat(r.body().get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(r.body().get("message").asText()).isNotBlank();
        assertThat(r.body().at("/details/0/param").asText()).as(path + " " + body).isEqualTo(param);
        assertThat(r.body().at("/details/0/location").asText()).isEqualTo("body");
      });
      assertThat(api.post(tenant, path, "{not json").status()).isEqualTo(400);
      assertThat(api.post(tenant, path, "[]").status()).isEqualTo(400);
      Api.Response empty = api.send(tenant, "POST", path, "", Map.of());
      assertThat(empty.status()).isEqualTo(400);
      Api.Response text = api.exchange(HttpRequest.newBuilder(URI.create(api.base + path))
          .header("Authorization", tenant.bearer())
          .header("Content-Type", "text/plain")
          .POST(HttpRequest.BodyPublishers.ofString(permitted()))
          .build());
      assertThat(text.status()).as("a body that is not JSON").isEqualTo(400);
      assertThat(text.body().at("/details/0/param").asText()).isEqualTo("Content-Type");
    }

    // a valid evaluation after them all: once its decision is in the trail, nothing else is
    Api.Response sentinel = api.post(tenant, EVALUATION,
        evaluation("{\"type\": \"ai_agent\", \"id\": \"monco:agent:nobody\"}", ACTION, RESOURCE, null));
    String sentinelId = sentinel.body().at("/context/id").asText();
    assertThat(awaitInTrail(tenant, "VERIFICATION_DENIED", Set.of(sentinelId))).containsExactly(sentinelId);
    assertThat(trail(tenant, "VERIFICATION_ALLOWED")).isEmpty();
  }

  @Test
  void unknownFieldsAndProperties_areIgnored() {
    TestApp.Tenant tenant = app.newTenant();
    MandateLifecycleIT.create(tenant);
    awaitPermit(tenant, permitted(), id -> {});

    Api.Response r = api.post(tenant, EVALUATION, """
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1", "properties": {"department": "Sales"}},
         "action": {"name": "construction.validation.approve", "properties": {"method": "GET"}},
         "resource": {"type": "monco:project", "id": "p1/zone:EG", "properties": {"owner": "bob"}},
         "context": {"amount": 10, "currency": "EUR", "time": "1985-10-26T01:22-07:00"},
         "foo": "bar", "futureField": {"nested": true}}""");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("decision").asBoolean()).isTrue();
    Api.Response batch = api.post(tenant, EVALUATIONS, """
        {"subject": %s, "action": %s, "context": %s, "x_vendor": 1,
         "options": {"evaluations_semantic": "execute_all", "another_option": "value"},
         "evaluations": [{"resource": %s, "unknown": []}]}""".formatted(SUBJECT, ACTION, CONTEXT, RESOURCE));
    assertThat(decisions(batch)).containsExactly(true);
  }

  @Test
  void theRequestId_isEchoed_andCorrelatesEveryEvaluationInTheTrail() {
    TestApp.Tenant tenant = app.newTenant();
    MandateLifecycleIT.create(tenant);
    awaitPermit(tenant, permitted(), id -> {});
    Map<String, String> header = Map.of("X-Request-ID", REQUEST_ID);

    Api.Response single = api.send(tenant, "POST", EVALUATION, permitted(), header);
    assertThat(single.status()).isEqualTo(200);
    assertThat(single.header("X-Request-ID")).isEqualTo(REQUEST_ID);
    Api.Response bad = api.send(tenant, "POST", EVALUATION, "{}", header);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.header("X-Request-ID")).isEqualTo(REQUEST_ID);
    Api.Response anonymous = api.send(null, "POST", EVALUATION, permitted(), header);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.header("X-Request-ID")).as("echoed by the security chain too").isEqualTo(REQUEST_ID);
    Api.Response batch = api.send(tenant, "POST", EVALUATIONS, """
        {"subject": %s, "action": %s, "context": %s,
         "evaluations": [{"resource": %s}, {"resource": {"type": "monco:project", "id": "p2"}}]}"""
        .formatted(SUBJECT, ACTION, CONTEXT, RESOURCE), header);
    assertThat(batch.header("X-Request-ID")).isEqualTo(REQUEST_ID);
    assertThat(decisions(batch)).containsExactly(true, false);
    assertThat(api.get(null, "/.well-known/authzen-configuration").header("X-Request-ID")).isNotBlank();

    String permitId = batch.body().at("/evaluations/0/context/id").asText();
    String denyId = batch.body().at("/evaluations/1/context/id").asText();
    awaitInTrail(tenant, "VERIFICATION_DENIED", Set.of(denyId));
    awaitInTrail(tenant, "VERIFICATION_ALLOWED", Set.of(permitId));
    for (String id : List.of(permitId, denyId)) {
      assertThat(api.get(tenant, "/v1/events/" + id).body().at("/details/correlation_id").asText())
          .isEqualTo(REQUEST_ID);
    }
  }

  @Test
  void evaluations_honourTheThreeSemantics_andRecordOnlyWhatWasEvaluated() {
    TestApp.Tenant tenant = app.newTenant();
    MandateLifecycleIT.create(tenant);
    Set<String> seen = new HashSet<>();
    awaitPermit(tenant, permitted(), seen::add);
    String batch = """
        {"subject": %s, "action": %s, "context": %s, %s
         "evaluations": [{"resource": {"type": "monco:project", "id": "%s"}},
                         {"resource": {"type": "monco:project", "id": "%s"}},
                         {"resource": {"type": "monco:project", "id": "%s"}}]}""";

    Api.Response all = api.post(tenant, EVALUATIONS,
        batch.formatted(SUBJECT, ACTION, CONTEXT, "", "p1/a", "p9", "p1/b"));
    assertThat(decisions(all)).containsExactly(true, false, true);
    Api.Response explicitAll = api.post(tenant, EVALUATIONS, batch.formatted(SUBJECT, ACTION, CONTEXT,
        "\"options\": {\"evaluations_semantic\": \"execute_all\"},", "p1/a", "p9", "p1/b"));
    assertThat(decisions(explicitAll)).containsExactly(true, false, true);
    Api.Response denyFirst = api.post(tenant, EVALUATIONS, batch.formatted(SUBJECT, ACTION, CONTEXT,
        "\"options\": {\"evaluations_semantic\": \"deny_on_first_deny\"},", "p1/a", "p9", "p1/b"));
    assertThat(decisions(denyFirst)).containsExactly(true, false);
    assertThat(denyFirst.body().at("/evaluations/1/context/reason_codes/0").asText()).isEqualTo("NO_MATCHING_MANDATE");
    Api.Response permitFirst = api.post(tenant, EVALUATIONS, batch.formatted(SUBJECT, ACTION, CONTEXT,
        "\"options\": {\"evaluations_semantic\": \"permit_on_first_permit\"},", "p8", "p1/c", "p9"));
    assertThat(decisions(permitFirst)).containsExactly(false, true);

    Set<String> allowed = new HashSet<>();
    Set<String> denied = new HashSet<>();
    for (Api.Response r : List.of(all, explicitAll, denyFirst, permitFirst)) {
      r.body().get("evaluations").forEach(e ->
          (e.get("decision").asBoolean() ? allowed : denied).add(e.at("/context/id").asText()));
    }
    assertThat(allowed).hasSize(6);
    assertThat(denied).hasSize(4);
    Set<String> allowedTrail = awaitInTrail(tenant, "VERIFICATION_ALLOWED", allowed);
    Set<String> deniedTrail = awaitInTrail(tenant, "VERIFICATION_DENIED", denied);
    Set<String> answered = new HashSet<>(seen);
    answered.addAll(allowed);
    answered.addAll(denied);
    Set<String> recorded = new HashSet<>(allowedTrail);
    recorded.addAll(deniedTrail);
    assertThat(recorded).as("one event per evaluation made, none for those not made").isEqualTo(answered);
  }

  @Test
  void evaluations_applyTopLevelDefaults_eachItemOverridingWholeMembers() {
    TestApp.Tenant tenant = app.newTenant();
    MandateLifecycleIT.create(tenant);
    awaitPermit(tenant, permitted(), id -> {});

    Api.Response r = api.post(tenant, EVALUATIONS, """
        {"subject": %s, "action": %s, "resource": %s, "context": %s,
         "evaluations": [
           {},
           {"action": {"name": "finance.payment.execute"}},
           {"context": {"amount": 5000, "currency": "EUR"}},
           {"context": {"currency": "EUR"}},
           {"subject": {"type": "ai_agent", "id": "monco:agent:other"}},
           {"resource": {"type": "monco:project", "id": "monco:project:p1/zone:UG"}},
           {"resource": {"type": "monco:project", "id": "p1//zone:UG"}}
         ]}""".formatted(SUBJECT, ACTION, RESOURCE, CONTEXT));

    assertThat(decisions(r)).containsExactly(true, false, false, false, false, true, false);
    JsonNode answers = r.body().get("evaluations");
    assertThat(answers.at("/1/context/reason_codes/0").asText()).isEqualTo("NO_MATCHING_MANDATE");
    assertThat(answers.at("/2/context/reason_codes/0").asText()).isEqualTo("AMOUNT_EXCEEDED");
    assertThat(answers.at("/3/context/reason_codes/0").asText())
        .as("the item's context replaces the default context").isEqualTo("AMOUNT_REQUIRED");
    assertThat(answers.at("/4/context/reason_codes/0").asText()).isEqualTo("NO_MATCHING_MANDATE");
    JsonNode error = answers.at("/6/context/error");
    assertThat(error.get("status").asInt()).isEqualTo(400);
    assertThat(error.get("code").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(error.at("/details/0/param").asText()).isEqualTo("evaluations[6].resource");
    assertThat(answers.get(6).get("context").has("id")).as("an evaluation not made records nothing").isFalse();

    // an item without resource.id does not follow AuthZEN's information model: the whole request is
    // a 400, and nothing of it is evaluated or recorded
    int decisionsBefore = app.storedEvents(tenant.id(), "Verification");
    Api.Response malformed = api.post(tenant, EVALUATIONS, """
        {"subject": %s, "action": %s, "resource": %s, "context": %s,
         "evaluations": [{}, {"resource": {"type": "monco:project"}}]}"""
        .formatted(SUBJECT, ACTION, RESOURCE, CONTEXT));
    JsonNode refused = Api.assertError(malformed, 400, "VALIDATION_ERROR");
    assertThat(refused.at("/details/0/param").asText()).isEqualTo("evaluations[1].resource.id");
    assertThat(app.storedEvents(tenant.id(), "Verification")).isEqualTo(decisionsBefore);

    Api.Response emptyArray = api.post(tenant, EVALUATIONS,
        "{\"subject\": %s, \"action\": %s, \"resource\": %s, \"context\": %s, \"evaluations\": []}"
            .formatted(SUBJECT, ACTION, RESOURCE, CONTEXT));
    assertThat(emptyArray.status()).isEqualTo(200);
    assertThat(emptyArray.body().get("decision").asBoolean()).as("backwards-compatible single answer").isTrue();
    assertThat(emptyArray.body().has("evaluations")).isFalse();
    Api.Response absent = api.post(tenant, EVALUATIONS, permitted());
    assertThat(absent.body().get("decision").asBoolean()).isTrue();

    String many = "{\"subject\": %s, \"action\": %s, \"context\": %s, \"evaluations\": [%s]}".formatted(
        SUBJECT, ACTION, CONTEXT, String.join(", ", Collections.nCopies(101, "{\"resource\": " + RESOURCE + "}")));
    Api.Response tooMany = api.post(tenant, EVALUATIONS, many);
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.body().at("/details/0/param").asText()).isEqualTo("evaluations");
    Api.Response unknownSemantic = api.post(tenant, EVALUATIONS, permitted()
        .replaceFirst("\\{", "{\"options\": {\"evaluations_semantic\": \"first_match\"}, \"evaluations\": [{}], "));
    assertThat(unknownSemantic.status()).isEqualTo(400);
    assertThat(unknownSemantic.body().at("/details/0/param").asText()).isEqualTo("options.evaluations_semantic");
  }

  @Test
  void theMetadata_isPublic_andNamesTheEndpoints() {
    Api.Response r = api.get(null, "/.well-known/authzen-configuration");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(r.header("Cache-Control")).contains("max-age=3600");
    assertThat(r.body().get("policy_decision_point").asText()).isEqualTo("http://localhost:8080");
    assertThat(r.body().get("access_evaluation_endpoint").asText())
        .isEqualTo("http://localhost:8080/access/v1/evaluation");
    assertThat(r.body().get("access_evaluations_endpoint").asText())
        .isEqualTo("http://localhost:8080/access/v1/evaluations");
    assertThat(r.body().has("search_subject_endpoint")).as("no search API is offered").isFalse();
  }

  @Test
  void theEvaluationEndpoints_needATenantCredential() {
    TestApp.Tenant tenant = app.newTenant();
    TestApp.Tenant forged = new TestApp.Tenant(tenant.id(), tenant.keyId(), "mrk_01HXYZ00000000000000000000_nope");
    for (String path : List.of(EVALUATION, EVALUATIONS)) {
      for (TestApp.Tenant who : Arrays.asList(null, forged)) {
        Api.Response r = api.post(who, path, permitted());
        assertThat(r.status()).as(path).isEqualTo(401);
        assertThat(r.body().get("code").asText()).isEqualTo("UNAUTHORIZED");
      }
    }
  }

  @Test
  void anotherTenantsSubjectAndMandate_neverPermit() {
    TestApp.Tenant owner = app.newTenant();
    TestApp.Tenant other = app.newTenant();
    MandateLifecycleIT.create(owner);
    awaitPermit(owner, permitted(), id -> {});

    Api.Response foreign = api.post(other, EVALUATION, permitted());
    assertThat(foreign.status()).isEqualTo(200);
    assertThat(foreign.body().get("decision").asBoolean()).isFalse();
    assertThat(foreign.body().at("/context/reason_codes/0").asText()).isEqualTo("NO_MATCHING_MANDATE");
    Api.Response foreignBatch = api.post(other, EVALUATIONS, """
        {"subject": %s, "action": %s, "context": %s,
         "options": {"evaluations_semantic": "permit_on_first_permit"},
         "evaluations": [{"resource": %s}, {"resource": {"type": "monco:project", "id": "p1"}}]}"""
        .formatted(SUBJECT, ACTION, CONTEXT, RESOURCE));
    assertThat(decisions(foreignBatch)).containsExactly(false, false);

    String eventId = foreign.body().at("/context/id").asText();
    awaitInTrail(other, "VERIFICATION_DENIED", Set.of(eventId));
    assertThat(api.get(owner, "/v1/events/" + eventId).status()).isEqualTo(404);
    assertThat(trail(owner, "VERIFICATION_DENIED")).doesNotContain(eventId);
  }
}
