package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an error echoes of the value it refuses, and where AuthZEN's own error rules apply: an echo
 * never makes the error unwritable (a value nested near the read limit, echoed a few levels deeper,
 * was a 500, and in a batch the client lost decisions already recorded), never grows with the
 * value once per batch item, and the AuthZEN endpoints answer 400, not 415, however their path is
 * spelt. Each test failed before the fix (review of 2026-12-07, evening).
 */
class ErrorEchoIT {

  private static TestApp app;
  private static Api api;

  @BeforeAll
  static void start() {
    app = TestApp.shared();
    api = app.api;
  }

  static final String PERMITTED = """
      {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
       "action": {"name": "construction.validation.approve"},
       "resource": {"type": "monco:project", "id": "p1/zone:EG"},
       "context": {"amount": 10, "currency": "EUR"}}""";

  /** Polls until the index permits {@link #PERMITTED} for {@code tenant}'s new mandate. */
  static String awaitPermit(TestApp.Tenant tenant) {
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> api.post(tenant, "/access/v1/evaluation", PERMITTED),
            r -> r.status() == 200 && r.body().get("decision").asBoolean())
        .body().at("/context/id").asText();
  }

  /** Polls until {@code eventId} is in the tenant's trail of {@code eventType}; the whole trail. */
  static Set<String> awaitInTrail(TestApp.Tenant tenant, String eventType, String eventId) {
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> trail(tenant, eventType), t -> t.contains(eventId));
  }

  /** The event ids of the tenant's trail of one type. */
  static Set<String> trail(TestApp.Tenant tenant, String eventType) {
    Set<String> ids = new HashSet<>();
    AuditTrailIT.allEvents(app, tenant, "/v1/events?event_type=" + eventType)
        .forEach(e -> ids.add(e.get("event_id").asText()));
    return ids;
  }

  /** {@code depth} nested JSON arrays around 1: {@code [[[1]]]} for 3. */
  static String nested(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  /**
   * A value the request may nest up to Jackson's read limit (1,000 levels) is echoed in the error's
   * details[0].value, a few levels deeper than it came: past Jackson's write limit (also 1,000), so
   * the 400 cannot be written and the client gets a 500.
   */
  @Test
  void aDeeplyNestedInvalidValue_is400_not500() {
    TestApp.Tenant tenant = app.newTenant();
    // root object (1) + context (2) + 998 arrays = 1000 levels: within the read limit
    String verify = """
        {"delegate_subject_id": "monco:agent:a1", "action": "construction.validation.run",
         "resource": "monco:project:p1/doc", "context": {"amount": %s}}""".formatted(nested(998));
    String evaluation = """
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "resource": {"type": "monco:project", "id": "p1"}, "context": {"amount": %s}}""".formatted(nested(998));
    // root (1) + 999 arrays = 1000 levels
    String subject = "{\"subject\": %s}".formatted(nested(999));

    org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
    for (String[] c : new String[][] {
        {"/v1/verify", verify}, {"/access/v1/evaluation", evaluation},
        {"/access/v1/evaluations", evaluation}, {"/access/v1/evaluation", subject}}) {
      Api.Response r = api.post(tenant, c[0], c[1]);
      soft.assertThat(r.status()).as(c[0] + " " + c[1].substring(0, 60) + "...: " + r.raw().body()).isEqualTo(400);
    }
    // wide rather than deep: 10,000 nulls (they counted for nothing, and the 400 was as large as the request)
    String nulls = verify.replace(nested(998), "[" + String.join(",", java.util.Collections.nCopies(10_000, "null")) + "]");
    Api.Response wide = api.post(tenant, "/v1/verify", nulls);
    soft.assertThat(wide.status()).isEqualTo(400);
    soft.assertThat(wide.raw().body().length()).as("answer to a request of %d", nulls.length()).isLessThan(1_000);
    soft.assertAll();
  }

  /**
   * The worst case of the above: in a batch, the items before the deep one are evaluated and
   * recorded (and consume their rate limits), then the answer cannot be written: the PEP gets a 500
   * for decisions that stand in the audit trail, and a retry consumes them again.
   */
  @Test
  void aBatchWithADeeplyNestedBadItem_answersTheDecisionsItRecorded() {
    TestApp.Tenant tenant = app.newTenant();
    MandateLifecycleIT.create(tenant);
    Set<String> seen = awaitInTrail(tenant, "VERIFICATION_ALLOWED", awaitPermit(tenant));

    // root (1) + evaluations (2) + item (3) + context (4) + 995 arrays = 999 levels; echoed whole
    // at 7 + 995 = 1002 (an item that is not an object at all is a 400 of the whole request, with
    // nothing evaluated: AuthZenEvaluatorTest)
    String batch = """
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "context": {"amount": 10, "currency": "EUR"},
         "evaluations": [{"resource": {"type": "monco:project", "id": "p1/zone:EG"}},
                         {"resource": {"type": "monco:project", "id": "p1"}, "context": {"amount": %s}}]}"""
        .formatted(nested(995));
    Api.Response r = api.post(tenant, "/access/v1/evaluations", batch);

    // whatever the answer, the first item's decision was recorded
    Set<String> allowed = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> trail(tenant, "VERIFICATION_ALLOWED"), t -> t.size() > seen.size());
    allowed.removeAll(seen);
    assertThat(allowed).as("the batch's first item was recorded").hasSize(1);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    JsonNode answers = r.body().get("evaluations");
    assertThat(answers.get(0).at("/context/id").asText()).isEqualTo(allowed.iterator().next());
    assertThat(answers.get(1).at("/context/error/status").asInt()).isEqualTo(400);
  }

  /**
   * An item that inherits a broken top-level default echoes the default's whole value in its own
   * error; 100 such items turn a 60 KB request into a 6 MB answer (built in memory). Elsewhere a
   * long value is echoed as ErrorDetail.excerpt, its first 32 characters. A default that breaks
   * AuthZEN's information model is a 400 of the whole request, echoed once and short.
   */
  @Test
  void anInheritedBrokenDefault_isNotEchoedWholeOncePerItem() {
    TestApp.Tenant tenant = app.newTenant();
    String blank = " ".repeat(60_000);
    String batch = """
        {"subject": {"type": "%s", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "resource": {"type": "monco:project", "id": "p1"},
         "evaluations": [%s]}""".formatted(blank, String.join(",", java.util.Collections.nCopies(100, "{}")));

    Api.Response r = api.post(tenant, "/access/v1/evaluations", batch);

    Api.assertError(r, 400, "VALIDATION_ERROR");
    assertThat(r.body().at("/details/0/param").asText()).isEqualTo("subject.type");
    assertThat(r.raw().body().length()).as("answer of %d characters", r.raw().body().length()).isLessThan(1_000);

    // the same with an object where the string is due: echoed as the start of its JSON
    String objectDefault = batch.replace("\"" + blank + "\"", "{\"k\": \"" + "x".repeat(60_000) + "\"}");
    Api.Response o = api.post(tenant, "/access/v1/evaluations", objectDefault);
    Api.assertError(o, 400, "VALIDATION_ERROR");
    assertThat(o.body().at("/details/0/value").asText()).startsWith("{\"k\":\"xxx").endsWith("…");
    assertThat(o.raw().body().length()).isLessThan(1_000);
    // a broken context default, which the request's parser (not the AuthZEN mapping) refuses
    String contextDefault = """
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "resource": {"type": "monco:project", "id": "p1"},
         "context": {"amount": ["%s"]},
         "evaluations": [%s]}""".formatted("x".repeat(60_000), String.join(",", java.util.Collections.nCopies(100, "{}")));
    Api.Response c = api.post(tenant, "/access/v1/evaluations", contextDefault);
    assertThat(c.status()).isEqualTo(200);
    assertThat(c.body().at("/evaluations/99/context/error/details/0/param").asText()).isEqualTo("context.amount");
    assertThat(c.raw().body().length())
        .as("answer of %d characters to a request of %d", c.raw().body().length(), contextDefault.length())
        .isLessThan(contextDefault.length());
    // a short object is echoed as itself
    Api.Response small = api.post(tenant, "/access/v1/evaluation", """
        {"subject": {"type": {"k": 1}, "id": "monco:agent:a1"}, "action": {"name": "a.b"},
         "resource": {"type": "monco:project", "id": "p1"}}""");
    assertThat(small.status()).isEqualTo(400);
    assertThat(small.body().at("/details/0/value/k").asInt()).isEqualTo(1);
  }

  /**
   * The AuthZEN endpoints answer a non-UTF-8 charset with 400 (docs/verification.md, "Errors and
   * limits"), but RequestFilters tells them by the raw request URI: the same endpoint reached as
   * /%61ccess/v1/evaluation (Spring MVC and Spring Security decode it, and it is served) gets 415.
   */
  @Test
  void anAuthZenEndpoint_answers400ForANonUtf8Charset_howeverItsPathIsSpelt() {
    TestApp.Tenant tenant = app.newTenant();
    for (String path : java.util.List.of("/access/v1/evaluation", "/%61ccess/v1/evaluation")) {
      Api.Response r = api.exchange(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base + path))
          .header("Authorization", tenant.bearer())
          .header("Content-Type", "application/json; charset=UTF-16")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(PERMITTED))
          .build());
      assertThat(r.status()).as(path + ": " + r.raw().body()).isEqualTo(400);
    }
    // the encoded spelling is the AuthZEN endpoint: with a proper Content-Type it answers a Decision
    Api.Response served = api.post(tenant, "/%61ccess/v1/evaluation", PERMITTED);
    assertThat(served.body().has("decision")).isTrue();
  }
}
