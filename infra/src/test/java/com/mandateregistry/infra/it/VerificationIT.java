package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.api.web.ConsistencyTokens;
import com.mandateregistry.query.verification.freshness.FreshnessGuard;
import com.mandateregistry.query.verification.index.VerificationIndex;
import com.mandateregistry.query.verification.recording.DecisionRecorder;
import com.mandateregistry.query.verification.recording.DecisionRecorder.ActiveCheck;
import com.mandateregistry.query.verification.recording.DecisionRecorder.DenyCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/verify} end to end: the index fed from Kafka, the decision, the freshness of
 * acknowledged suspends and revokes, atomic budgets under concurrency, and every decision recorded
 * in the audit trail.
 */
class VerificationIT {

  private static final String ACTION = "construction.validation.approve";
  private static final String RESOURCE = "monco:project:p1/zone:EG/installation:stk_42";

  private static TestApp app;
  private static Api api;

  @BeforeAll
  static void start() {
    app = TestApp.shared();
    api = app.api;
  }

  /** Creates a mandate for {@code delegate} with {@code constraints} (JSON) and returns its id. */
  static String mandate(TestApp.Tenant tenant, String delegate, String effect, String constraints) {
    Api.Response r = api.post(tenant, "/v1/mandates", mandateBody(delegate, effect, constraints));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    return r.body().get("mandate_id").asText();
  }

  static String mandateBody(String delegate, String effect, String constraints) {
    return """
        {"principal": {"type": "natural_person", "subject_id": "monco:user:max"},
         "delegate": {"type": "ai_agent", "subject_id": "%s"},
         "scope": {"actions": ["construction.validation.*"], "resources": ["monco:project:p1/**"],
                   "effect": "%s"},
         "constraints": %s}
        """.formatted(delegate, effect, constraints);
  }

  /** The verification index's processor, shut down; the caller starts it again. */
  private static TrackingEventProcessor stoppedIndex() {
    TrackingEventProcessor index = app.trackingProcessor("verification-index");
    index.shutDown();
    return index;
  }

  static String body(String delegate, String context) {
    return """
        {"delegate_subject_id": "%s", "action": "%s", "resource": "%s", "context": %s}
        """.formatted(delegate, ACTION, RESOURCE, context);
  }

  static Api.Response verify(TestApp.Tenant tenant, String body) {
    return api.post(tenant, "/v1/verify", body);
  }

  /** Polls until the index knows the mandate, i.e. the answer is no longer NO_MATCHING_MANDATE. */
  static JsonNode awaitIndexed(TestApp.Tenant tenant, String body) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> verify(tenant, body),
            r -> r.status() == 200 && !r.body().get("reason_codes").toString().contains("NO_MATCHING_MANDATE"))
        .body();
  }

  static JsonNode awaitEvent(TestApp.Tenant tenant, String eventId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> api.get(tenant, "/v1/events/" + eventId), r -> r.status() == 200)
        .body();
  }

  /**
   * A consistency token ({@link ConsistencyTokens}): a verification that sends the token of a write
   * is decided on state at least as fresh as that write. With the index stopped, a mandate just
   * created is a DENY ({@code NO_MATCHING_MANDATE}) without the token, and a 503 with it, with
   * nothing recorded; once the index runs, the first answer with the token is the ALLOW.
   */
  @Test
  void aConsistencyToken_decidesOnStateAtLeastAsFreshAsItsWrite() {
    TestApp.Tenant tenant = app.newTenant();
    String delegate = "monco:agent:fresh";
    String request = body(delegate, "{}");
    String authZen =
        AuthZenIT.evaluation(
            "{\"type\": \"ai_agent\", \"id\": \"" + delegate + "\"}",
            "{\"name\": \"" + ACTION + "\"}",
            "{\"type\": \"monco:project\", \"id\": \"p1/zone:EG/installation:stk_42\"}",
            "{}");
    String token;
    TrackingEventProcessor index = stoppedIndex();
    try {
      Api.Response created = api.post(tenant, "/v1/mandates", mandateBody(delegate, "ALLOW", "{}"));
      assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
      token = created.header(ConsistencyTokens.HEADER);
      assertThat(token).isNotBlank();

      JsonNode stale = verify(tenant, request).body();
      assertThat(stale.get("reason_codes")).extracting(JsonNode::asText).containsExactly("NO_MATCHING_MANDATE");
      int decisions = app.storedEvents(tenant.id(), "Verification");
      Map<String, String> fresh = Map.of(ConsistencyTokens.HEADER, token);
      Api.Response waited = api.send(tenant, "POST", "/v1/verify", request, fresh);
      Api.assertError(waited, 503, "SERVICE_UNAVAILABLE");
      assertThat(waited.body().get("message").asText()).contains(ConsistencyTokens.HEADER);
      assertThat(api.send(tenant, "POST", "/access/v1/evaluation", authZen, fresh).status()).isEqualTo(503);
      // a bad body is a 400 at once, on both endpoints, however far the index is behind the token
      Api.assertError(api.send(tenant, "POST", "/v1/verify", "{\"action\": 1}", fresh), 400, "VALIDATION_ERROR");
      Api.Response badAuthZen =
          api.send(tenant, "POST", "/access/v1/evaluation", "{\"action\": {\"name\": \"x\"}}", fresh);
      assertThat(badAuthZen.status()).as(badAuthZen.raw().body()).isEqualTo(400);
      assertThat(app.storedEvents(tenant.id(), "Verification")).as("nothing recorded").isEqualTo(decisions);
    } finally {
      index.start();
    }

    Map<String, String> fresh = Map.of(ConsistencyTokens.HEADER, token);
    Api.Response first =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> api.send(tenant, "POST", "/v1/verify", request, fresh), r -> r.status() != 503);
    assertThat(first.status()).as(first.raw().body()).isEqualTo(200);
    assertThat(first.body().get("decision").asText()).isEqualTo("ALLOW");
    Api.Response evaluated = api.send(tenant, "POST", "/access/v1/evaluation", authZen, fresh);
    assertThat(evaluated.body().get("decision").asBoolean()).as(evaluated.raw().body()).isTrue();
  }

  private static void assertTokenRefused(TestApp.Tenant caller, String request, String token) {
    JsonNode error =
        Api.assertError(
            api.send(caller, "POST", "/v1/verify", request, Map.of(ConsistencyTokens.HEADER, token)),
            400, "VALIDATION_ERROR");
    assertThat(error.at("/details/0/param").asText()).isEqualTo(ConsistencyTokens.HEADER);
    assertThat(error.at("/details/0/location").asText()).isEqualTo("header");
  }

  /**
   * Every write of a mandate answers with a token of the version it produced; a token is bound to
   * its tenant, so another tenant's or an altered one is a 400 that records nothing.
   */
  @Test
  void consistencyTokens_comeWithEveryWrite_andAreRefusedFromAnyoneElse() {
    TestApp.Tenant tenant = app.newTenant();
    TestApp.Tenant other = app.newTenant();
    Api.Response created = api.post(tenant, "/v1/mandates", mandateBody("monco:agent:tokens", "ALLOW", "{}"));
    String id = created.body().get("mandate_id").asText();
    List<String> tokens = new ArrayList<>(List.of(created.header(ConsistencyTokens.HEADER)));
    for (String transition : List.of("suspend", "reactivate", "revoke")) {
      Api.Response r = api.post(tenant, "/v1/mandates/" + id + "/" + transition, "{}");
      assertThat(r.status()).as(transition + " " + r.raw().body()).isEqualTo(200);
      tokens.add(r.header(ConsistencyTokens.HEADER));
    }
    assertThat(tokens).doesNotContainNull().doesNotHaveDuplicates();

    String request = body("monco:agent:tokens", "{}");
    String own = tokens.get(3);
    int middle = own.length() / 2; // not the last character: it may carry bits the decoder drops
    String altered =
        own.substring(0, middle) + (own.charAt(middle) == 'A' ? 'B' : 'A') + own.substring(middle + 1);
    assertTokenRefused(other, request, own); // another tenant's
    assertTokenRefused(tenant, request, altered);
    assertTokenRefused(tenant, request, "x");
    assertThat(app.storedEvents(tenant.id(), "Verification")).isZero();
    assertThat(app.storedEvents(other.id(), "Verification")).isZero();

    // the tenant's own token of the revoke: the mandate is revoked, and the answer says so
    JsonNode revoked =
        api.send(tenant, "POST", "/v1/verify", request, Map.of(ConsistencyTokens.HEADER, own)).body();
    assertThat(revoked.get("reason_codes")).extracting(JsonNode::asText).containsExactly("MANDATE_REVOKED");
  }

  @Test
  void amountLimits_areExactDecimals_allTheWayToTheIndexAndTheReadModel() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    // 18 significant digits with a fraction: as a double this limit would be 100000000000000000
    String id =
        mandate(
            tenant,
            "monco:agent:precise",
            "ALLOW",
            "{\"max_amount\": {\"amount\": 100000000000000000.5, \"currency\": \"EUR\"}}");
    JsonNode atLimit =
        awaitIndexed(
            tenant, body("monco:agent:precise", "{\"amount\": 100000000000000000.5, \"currency\": \"EUR\"}"));
    assertThat(atLimit.get("decision").asText()).as(atLimit.toString()).isEqualTo("ALLOW");
    JsonNode over =
        verify(tenant, body("monco:agent:precise", "{\"amount\": 100000000000000000.6, \"currency\": \"EUR\"}"))
            .body();
    assertThat(over.get("decision").asText()).isEqualTo("DENY");
    assertThat(over.get("reason_codes").toString()).contains("AMOUNT_EXCEEDED");

    MandateLifecycleIT.awaitMandate(tenant, id, "ACTIVE", 0);
    String read = api.get(tenant, "/v1/mandates/" + id).raw().body();
    JsonNode exact =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .readTree(read);
    assertThat(exact.at("/constraints/max_amount/amount").decimalValue())
        .isEqualByComparingTo("100000000000000000.5");
  }

  @Test
  void allow_namesTheMandate_andTheDecisionIsInTheAuditTrail() {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:allow", "ALLOW", "{}");

    JsonNode allowed = awaitIndexed(tenant, body("monco:agent:allow", "{}"));

    assertThat(allowed.get("decision").asText()).isEqualTo("ALLOW");
    assertThat(allowed.get("mandate_id").asText()).isEqualTo(id);
    assertThat(allowed.get("reason_codes")).isEmpty();
    JsonNode event = awaitEvent(tenant, allowed.get("event_id").asText());
    assertThat(event.get("event_type").asText()).isEqualTo("VERIFICATION_ALLOWED");
    assertThat(event.get("mandate_id").asText()).isEqualTo(id);
    assertThat(event.get("details").get("action").asText()).isEqualTo(ACTION);
    assertThat(event.get("details").get("resource").asText()).isEqualTo(RESOURCE);
    assertThat(event.get("actor").get("id").asText()).isEqualTo(tenant.keyId());

    // an ALLOW is durably stored before it is answered: read right after the answer, no waiting
    int allowsStored = app.storedEvents(tenant.id(), "VerificationAllowed");
    assertThat(verify(tenant, body("monco:agent:allow", "{}")).body().get("decision").asText()).isEqualTo("ALLOW");
    assertThat(app.storedEvents(tenant.id(), "VerificationAllowed")).isEqualTo(allowsStored + 1);

    JsonNode none = verify(tenant, body("monco:agent:nobody", "{}")).body();
    assertThat(none.get("decision").asText()).isEqualTo("DENY");
    assertThat(none.get("mandate_id").isNull()).isTrue();
    assertThat(none.get("reason_codes")).extracting(JsonNode::asText).containsExactly("NO_MATCHING_MANDATE");
    JsonNode denied = awaitEvent(tenant, none.get("event_id").asText());
    assertThat(denied.get("event_type").asText()).isEqualTo("VERIFICATION_DENIED");
    assertThat(denied.get("details").get("reason_codes").get(0).asText()).isEqualTo("NO_MATCHING_MANDATE");
  }

  /** JSON bodies are sent whole, with their length, not in chunks (SizedJsonConverter). */
  @Test
  void jsonBodies_carryTheirLength_andAreNotChunked() {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:sized", "ALLOW", "{}");
    awaitIndexed(tenant, body("monco:agent:sized", "{}"));

    for (Api.Response r :
        List.of(
            verify(tenant, body("monco:agent:sized", "{}")),
            verify(tenant, body("monco:agent:nobody", "{}")),
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> api.get(tenant, "/v1/mandates/" + id), g -> g.status() == 200))) {
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Transfer-Encoding")).isNull();
      assertThat(r.header("Content-Length"))
          .isEqualTo(String.valueOf(r.raw().body().getBytes(StandardCharsets.UTF_8).length));
    }
  }

  @Test
  void anAcknowledgedSuspendOrRevoke_deniesTheVeryNextVerification() {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:fresh", "ALLOW", "{}");
    String request = body("monco:agent:fresh", "{}");
    assertThat(awaitIndexed(tenant, request).get("decision").asText()).isEqualTo("ALLOW");

    assertThat(api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}").status()).isEqualTo(200);
    JsonNode suspended = verify(tenant, request).body();
    assertThat(suspended.get("decision").asText()).isEqualTo("DENY");
    assertThat(suspended.get("reason_codes")).extracting(JsonNode::asText).containsExactly("MANDATE_SUSPENDED");

    assertThat(api.post(tenant, "/v1/mandates/" + id + "/reactivate", null).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(
        () -> verify(tenant, request).body().get("decision").asText().equals("ALLOW"));

    assertThat(api.post(tenant, "/v1/mandates/" + id + "/revoke", "{}").status()).isEqualTo(200);
    JsonNode revoked = verify(tenant, request).body();
    assertThat(revoked.get("decision").asText()).isEqualTo("DENY");
    assertThat(revoked.get("reason_codes")).extracting(JsonNode::asText).containsExactly("MANDATE_REVOKED");
  }

  /**
   * With the index stopped, it still says ACTIVE after the revoke: the first attempt's ALLOW is
   * refused by the recorder's status check (nothing stored), and the second attempt denies.
   */
  @Test
  void aRevokeTheIndexHasNotSeen_isCaughtWhenTheDecisionIsRecorded_andOnlyTheDenyIsStored() {
    revokeUnseenByTheIndex("{}");
  }

  /**
   * The same for a mandate with a rate limit, whose status is read before a use is consumed
   * (rather than in the recorder's transaction): the stale ALLOW never happens either.
   */
  @Test
  void aRevokeTheIndexHasNotSeen_isCaughtBeforeARateLimitedUseIsConsumed() {
    revokeUnseenByTheIndex(RATE_LIMITED);
  }

  /** A rate limit no test reaches: the mandate takes the stateful path of verification. */
  private static final String RATE_LIMITED = "{\"rate_limit\": {\"max_uses\": 1000000, \"period\": \"PT1H\"}}";

  private void revokeUnseenByTheIndex(String constraints) {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:stale-index", "ALLOW", constraints);
    String request = body("monco:agent:stale-index", "{}");
    assertThat(awaitIndexed(tenant, request).get("decision").asText()).isEqualTo("ALLOW");
    TrackingEventProcessor index = stoppedIndex();
    try {
      assertThat(api.post(tenant, "/v1/mandates/" + id + "/revoke", "{}").status()).isEqualTo(200);

      JsonNode revoked = verify(tenant, request).body();

      assertThat(revoked.get("decision").asText()).isEqualTo("DENY");
      assertThat(revoked.get("reason_codes")).extracting(JsonNode::asText).containsExactly("MANDATE_REVOKED");
      awaitEvent(tenant, revoked.get("event_id").asText());
      List<String> types = new ArrayList<>();
      api.get(tenant, "/v1/mandates/" + id + "/events?limit=200").body().get("events")
          .forEach(e -> types.add(e.get("event_type").asText()));
      assertThat(types.subList(types.indexOf("MANDATE_REVOKED"), types.size()))
          .containsExactly("MANDATE_REVOKED", "VERIFICATION_DENIED");
    } finally {
      index.start();
    }
  }

  @Test
  void verificationsRacingARevoke_neverAllowAfterTheRevokeIsAcknowledged() throws Exception {
    raceAgainst("{}", (tenant, id) -> api.post(tenant, "/v1/mandates/" + id + "/revoke", "{}"), "revoke");
  }

  @Test
  void verificationsRacingASuspend_ofARateLimitedMandate_neverAllowAfterTheSuspendIsAcknowledged()
      throws Exception {
    raceAgainst(RATE_LIMITED, (tenant, id) -> api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}"), "suspend");
  }

  /** A new DENY mandate overrides the delegate's ALLOW from its 201 on, whatever the index lag. */
  @Test
  void verificationsRacingTheGrantOfADenyMandate_neverAllowAfterItIsAcknowledged() throws Exception {
    raceAgainst("{}", (tenant, id) -> api.post(tenant, "/v1/mandates", mandateBody("monco:agent:race", "DENY", "{}")),
        "DENY grant");
  }

  /**
   * With the index stopped, a DENY mandate granted meanwhile is unknown to it: an ALLOW is not
   * answered (the verification waits for the index, then says 503 and records nothing); once the
   * index runs again, the DENY mandate overrides.
   */
  @Test
  void aDenyMandateTheIndexHasNotSeen_preventsTheAllow_untilTheIndexHasIt() {
    TestApp.Tenant tenant = app.newTenant();
    TestApp.Tenant neighbour = app.newTenant();
    mandate(tenant, "monco:agent:deny-unseen", "ALLOW", "{}");
    mandate(neighbour, "monco:agent:deny-unseen", "ALLOW", "{}");
    String request = body("monco:agent:deny-unseen", "{}");
    assertThat(awaitIndexed(tenant, request).get("decision").asText()).isEqualTo("ALLOW");
    assertThat(awaitIndexed(neighbour, request).get("decision").asText()).isEqualTo("ALLOW");
    assertNoAllowUntilTheIndexHasIt(tenant, request, () -> {
      Api.Response deny = api.post(tenant, "/v1/mandates", mandateBody("monco:agent:deny-unseen", "DENY", "{}"));
      assertThat(deny.status()).isEqualTo(201);
      // another tenant's delegate of the same id is not held up by this tenant's DENY mandate
      JsonNode neighbours = verify(neighbour, request).body();
      assertThat(neighbours.get("decision").asText()).isEqualTo("ALLOW");
    });
  }

  /**
   * A DENY mandate the index holds, but not yet in force there (awaiting approval), is approved
   * while the index is stopped: the approval's 200 is acknowledged, so no ALLOW it covers may
   * follow. Before the DENY check compared versions, the decision had "seen" the mandate (as
   * DRAFT) and the ALLOW was recorded.
   */
  @Test
  void aDenyMandatesApprovalTheIndexHasNotSeen_preventsTheAllow_untilTheIndexHasIt() {
    TestApp.Tenant tenant = app.newTenant();
    mandate(tenant, "monco:agent:deny-approved", "ALLOW", "{}");
    String deny = mandate(tenant, "monco:agent:deny-approved", "DENY", "{\"approval_required\": true}");
    String request = body("monco:agent:deny-approved", "{}");
    awaitIndexedAt(deny, 0);
    assertThat(awaitIndexed(tenant, request).get("decision").asText())
        .as("a DENY mandate awaiting approval is not in force").isEqualTo("ALLOW");

    assertNoAllowUntilTheIndexHasIt(tenant, request, () -> {
      Api.Response approved = api.post(tenant, "/v1/mandates/" + deny + "/approve", null);
      assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
    });
  }

  /** The same for a suspended DENY mandate reactivated while the index is stopped. */
  @Test
  void aDenyMandatesReactivationTheIndexHasNotSeen_preventsTheAllow_untilTheIndexHasIt() {
    TestApp.Tenant tenant = app.newTenant();
    mandate(tenant, "monco:agent:deny-back", "ALLOW", "{}");
    String deny = mandate(tenant, "monco:agent:deny-back", "DENY", "{}");
    String request = body("monco:agent:deny-back", "{}");
    assertThat(api.post(tenant, "/v1/mandates/" + deny + "/suspend", "{}").status()).isEqualTo(200);
    awaitIndexedAt(deny, 1);
    assertThat(awaitIndexed(tenant, request).get("decision").asText())
        .as("a suspended DENY mandate is not in force").isEqualTo("ALLOW");

    assertNoAllowUntilTheIndexHasIt(tenant, request, () -> {
      Api.Response reactivated = api.post(tenant, "/v1/mandates/" + deny + "/reactivate", null);
      assertThat(reactivated.status()).as(reactivated.raw().body()).isEqualTo(200);
    });
  }

  /** Polls until this node's index holds {@code mandateId} at {@code version} or later. */
  private static void awaitIndexedAt(String mandateId, long version) {
    VerificationIndex index = app.bean(VerificationIndex.class);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
        .until(() -> index.find(mandateId) != null && index.find(mandateId).version() >= version);
  }

  /**
   * With the index stopped, {@code acknowledged} puts a DENY mandate covering {@code request} in
   * force; the verification after it is a 503 with nothing recorded (never an ALLOW), and an
   * {@code EXPLICIT_DENY} once the index runs again.
   */
  private static void assertNoAllowUntilTheIndexHasIt(TestApp.Tenant tenant, String request, Runnable acknowledged) {
    int decisions = app.storedEvents(tenant.id(), "Verification");
    TrackingEventProcessor index = stoppedIndex();
    try {
      acknowledged.run();

      Api.Response after = verify(tenant, request);

      assertThat(after.status()).as(after.raw().body()).isEqualTo(503);
      assertThat(after.body().get("message").asText()).contains("DENY mandate");
      assertThat(app.storedEvents(tenant.id(), "Verification")).as("nothing recorded").isEqualTo(decisions);
    } finally {
      index.start();
    }
    JsonNode denied = await().atMost(Duration.ofSeconds(30)).until(
        () -> verify(tenant, request), r -> r.status() == 200).body();
    assertThat(denied.get("decision").asText()).isEqualTo("DENY");
    assertThat(denied.get("reason_codes")).extracting(JsonNode::asText).containsExactly("EXPLICIT_DENY");
  }

  private void raceAgainst(
      String constraints, java.util.function.BiFunction<TestApp.Tenant, String, Api.Response> act, String what)
      throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:race", "ALLOW", constraints);
    String request = body("monco:agent:race", "{}");
    assertThat(awaitIndexed(tenant, request).get("decision").asText()).isEqualTo("ALLOW");
    // only a DENY grant may be answered 503: when the index has not learnt it within deny-index-wait
    assertNoAllowAfter(() -> verify(tenant, request), () -> act.apply(tenant, id), what, what.equals("DENY grant"));
  }

  /**
   * Sends {@code verify} from four threads, runs {@code act} once among them, and asserts that
   * every verification sent after {@code act} was acknowledged is a DENY (at least 20 of them),
   * that some before were ALLOWs, and that none failed.
   */
  static void assertNoAllowAfter(
      java.util.function.Supplier<Api.Response> verify, java.util.function.Supplier<Api.Response> act, String what)
      throws Exception {
    assertNoAllowAfter(verify, act, what, false);
  }

  /**
   * As {@link #assertNoAllowAfter(java.util.function.Supplier, java.util.function.Supplier, String)};
   * with {@code indexMayLag}, a 503 (the index did not learn a DENY mandate within
   * {@code deny-index-wait}) is an answer too: it is no ALLOW.
   */
  static void assertNoAllowAfter(
      java.util.function.Supplier<Api.Response> verify, java.util.function.Supplier<Api.Response> act, String what,
      boolean indexMayLag)
      throws Exception {
    record Sample(long sentNanos, String decision) {}
    ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService workers = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch running = new CountDownLatch(4);
      for (int i = 0; i < 4; i++) {
        workers.submit(() -> {
          running.countDown();
          while (!stop.get()) {
            long sent = System.nanoTime();
            Api.Response r = verify.get();
            samples.add(new Sample(sent, r.status() == 200 ? r.body().get("decision").asText() : "HTTP " + r.status()));
          }
          return null;
        });
      }
      running.await(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(60)).until(() -> samples.size() >= 20);
      Api.Response acted = act.get();
      long acknowledged = System.nanoTime();
      assertThat(acted.status()).as(what).isIn(200, 201);
      await().atMost(Duration.ofSeconds(60)).until(() -> samples.stream()
          .filter(s -> s.sentNanos() > acknowledged && s.decision().equals("DENY")).count() >= 20);
      stop.set(true);
      workers.shutdown();
      assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

      List<Sample> after = samples.stream().filter(s -> s.sentNanos() > acknowledged).toList();
      assertThat(after).as("verifications sent after the " + what + " was acknowledged").hasSizeGreaterThanOrEqualTo(20);
      List<String> answers = indexMayLag ? List.of("DENY", "HTTP 503") : List.of("DENY");
      assertThat(after).allSatisfy(s -> assertThat(s.decision()).isIn(answers));
      assertThat(samples).anySatisfy(s -> assertThat(s.decision()).isEqualTo("ALLOW"));
      assertThat(samples).allSatisfy(s -> assertThat(s.decision()).isIn(
          indexMayLag ? List.of("ALLOW", "DENY", "HTTP 503") : List.of("ALLOW", "DENY")));
    } finally {
      stop.set(true);
      workers.shutdownNow();
    }
  }


  @Test
  void fiftyConcurrentVerifications_againstABudgetOfTenUses_allowExactlyTen() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:budget", "ALLOW",
        "{\"budget\": {\"amount\": 10, \"currency\": \"EUR\"}}");
    String probe = body("monco:agent:budget", "{\"amount\": 0, \"currency\": \"EUR\"}");
    assertThat(awaitIndexed(tenant, probe).get("decision").asText()).isEqualTo("ALLOW");

    String oneEuro = body("monco:agent:budget", "{\"amount\": 1, \"currency\": \"EUR\"}");
    assertFiftyAllowExactlyTen(tenant, oneEuro, "BUDGET_EXHAUSTED");
    Integer spent = app.jdbc().queryForObject(
        "SELECT used_amount::int FROM constraint_usage WHERE mandate_id = ? AND kind = 'budget'",
        Integer.class, id);
    assertThat(spent).isEqualTo(10);
  }

  /** The same over HTTP with a rate limit of 10 uses (its window, 100 years, does not roll). */
  @Test
  void fiftyConcurrentVerifications_againstARateLimitOfTenUses_allowExactlyTen() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:rate", "ALLOW",
        "{\"rate_limit\": {\"max_uses\": 10, \"period\": \"P36500D\"}}");
    // awaited in the index, not with a verification, which would use one of the ten
    VerificationIndex index = app.bean(VerificationIndex.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> index.find(id) != null);

    assertFiftyAllowExactlyTen(tenant, body("monco:agent:rate", "{}"), "RATE_LIMIT_EXCEEDED");
    Long used = app.jdbc().queryForObject(
        "SELECT used_count FROM constraint_usage WHERE mandate_id = ? AND kind = 'rate'", Long.class, id);
    assertThat(used).isEqualTo(10);
  }

  /** Sends {@code request} 50 times at once: exactly 10 ALLOW, 40 DENY with {@code reason}. */
  private static void assertFiftyAllowExactlyTen(TestApp.Tenant tenant, String request, String reason)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Callable<JsonNode> call = () -> {
          go.await();
          Api.Response r = verify(tenant, request);
          assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
          return r.body();
        };
        answers.add(pool.submit(call));
      }
      go.countDown();
      List<JsonNode> decisions = new ArrayList<>();
      for (Future<JsonNode> f : answers) {
        decisions.add(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(decisions.stream().filter(d -> d.get("decision").asText().equals("ALLOW"))).hasSize(10);
      assertThat(decisions.stream().filter(d -> d.get("decision").asText().equals("DENY")))
          .hasSize(40)
          .allSatisfy(d -> assertThat(d.get("reason_codes").toString()).contains(reason));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Uses and amount counted for {@code mandateId} in its (only) rate and budget windows. */
  private static List<Object> usage(String mandateId) {
    return List.of(
        app.jdbc().queryForObject(
            "SELECT used_count FROM constraint_usage WHERE mandate_id = ? AND kind = 'rate'", Long.class, mandateId),
        app.jdbc().queryForObject(
            "SELECT used_amount::int FROM constraint_usage WHERE mandate_id = ? AND kind = 'budget'",
            Integer.class, mandateId));
  }

  // a window of 100 years: rate windows are aligned to the epoch (PT1H: whole UTC hours), and a
  // test that counts uses across a full hour counted them in two windows
  private static final String TWO_USES_AND_100_EUR =
      "{\"rate_limit\": {\"max_uses\": 2, \"period\": \"P36500D\"}, \"budget\": {\"amount\": 100, \"currency\": \"EUR\"}}";

  @Test
  void aDecisionCertainlyNotRecorded_is503_andGivesBackTheUseAndAmountItConsumed() {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:refund", "ALLOW", TWO_USES_AND_100_EUR);
    String spend30 = body("monco:agent:refund", "{\"amount\": 30, \"currency\": \"EUR\"}");
    JsonNode first = awaitIndexed(tenant, spend30);
    assertThat(first.get("decision").asText()).isEqualTo("ALLOW");
    assertThat(usage(id)).containsExactly(1L, 30);

    DecisionRecorder recorder = app.bean(DecisionRecorder.class);
    recorder.stop();
    try {
      Api.Response refused = verify(tenant, spend30);
      assertThat(refused.status()).as(refused.raw().body()).isEqualTo(503);
      assertThat(refused.body().get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
      // consumed by the decision, then given back when it could not be recorded
      assertThat(usage(id)).containsExactly(1L, 30);
    } finally {
      recorder.start();
    }

    JsonNode second = verify(tenant, spend30).body();
    assertThat(second.get("decision").asText()).isEqualTo("ALLOW");
    assertThat(second.get("constraints_remaining").get("uses_remaining").asLong()).isZero();
    assertThat(second.get("constraints_remaining").get("budget_remaining").get("amount").toString())
        .as("written as the trail and the docs write amounts, without trailing zeros").isEqualTo("40");
    JsonNode third = verify(tenant, body("monco:agent:refund", "{\"amount\": 1, \"currency\": \"EUR\"}")).body();
    assertThat(third.get("reason_codes")).extracting(JsonNode::asText).contains("RATE_LIMIT_EXCEEDED");
  }

  @Test
  void aDecisionThatMayStillBeRecorded_is503_andKeepsWhatItConsumed_matchingTheTrail() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:inflight", "ALLOW", TWO_USES_AND_100_EUR);
    String spend30 = body("monco:agent:inflight", "{\"amount\": 30, \"currency\": \"EUR\"}");
    assertThat(awaitIndexed(tenant, spend30).get("decision").asText()).isEqualTo("ALLOW");

    // the group commit's insert of this tenant's next event takes 6 s, longer than the record
    // timeout (5 s): the group commit has the decision when the request gives up, so it may still be
    // stored. A sleep, not a lock: a lock wait would end at the sessions' lock_timeout (also 5 s)
    // and fail the batch instead
    try (TestApp.SlowInsert slow = app.slowNextEvent(tenant.id(), 6)) {
      Api.Response inDoubt = verify(tenant, spend30);
      assertThat(inDoubt.status()).as(inDoubt.raw().body()).isEqualTo(503);
      assertThat(usage(id)).as("kept while its decision may be stored").containsExactly(2L, 60);

      // and it was: the trail holds both ALLOWs that the counts stand for
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
          assertThat(AuditTrailIT.allEvents(app, tenant, "/v1/mandates/" + id + "/events"))
              .filteredOn(e -> e.get("event_type").asText().equals("VERIFICATION_ALLOWED"))
              .hasSize(2));
    }
    JsonNode third = verify(tenant, spend30).body();
    assertThat(third.get("reason_codes")).extracting(JsonNode::asText).contains("RATE_LIMIT_EXCEEDED");
  }

  @Test
  void approvalRequired_deniesUntilApproved() {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:draft", "ALLOW", "{\"approval_required\": true}");
    String request = body("monco:agent:draft", "{}");

    JsonNode draft = awaitIndexed(tenant, request);
    assertThat(draft.get("decision").asText()).isEqualTo("DENY");
    assertThat(draft.get("reason_codes")).extracting(JsonNode::asText).containsExactly("APPROVAL_REQUIRED");
    assertThat(api.get(tenant, "/v1/mandates/" + id).body().get("status").asText()).isIn("DRAFT");

    Api.Response approved = api.post(tenant, "/v1/mandates/" + id + "/approve", null);
    assertThat(approved.status()).as(approved.raw().body()).isEqualTo(200);
    assertThat(approved.body().get("status").asText()).isEqualTo("ACTIVE");
    assertThat(api.post(tenant, "/v1/mandates/" + id + "/approve", null).status()).isEqualTo(409);
    await().atMost(Duration.ofSeconds(30)).until(
        () -> verify(tenant, request).body().get("decision").asText().equals("ALLOW"));
  }

  @Test
  void aboveTheEscalationThreshold_deniesAndRecordsAnEscalation() {
    TestApp.Tenant tenant = app.newTenant();
    String id = mandate(tenant, "monco:agent:esc", "ALLOW",
        "{\"escalation_threshold\": {\"amount\": 5000, \"currency\": \"EUR\"}}");
    assertThat(awaitIndexed(tenant, body("monco:agent:esc", "{\"amount\": 100, \"currency\": \"EUR\"}"))
        .get("decision").asText()).isEqualTo("ALLOW");

    JsonNode escalated = verify(tenant, body("monco:agent:esc", "{\"amount\": 7000, \"currency\": \"EUR\"}")).body();
    assertThat(escalated.get("decision").asText()).isEqualTo("DENY");
    assertThat(escalated.get("reason_codes")).extracting(JsonNode::asText).containsExactly("ESCALATION_REQUIRED");
    String verificationEvent = escalated.get("event_id").asText();
    awaitEvent(tenant, verificationEvent);

    List<JsonNode> escalations = await().atMost(Duration.ofSeconds(30)).until(
        () -> AuditTrailIT.allEvents(app, tenant, "/v1/events?event_type=ESCALATION_TRIGGERED"),
        list -> !list.isEmpty());
    JsonNode e = escalations.get(0);
    assertThat(e.get("mandate_id").asText()).isEqualTo(id);
    assertThat(e.get("details").get("verification_event_id").asText()).isEqualTo(verificationEvent);
    assertThat(e.get("details").get("amount").asInt()).isEqualTo(7000);
    assertThat(e.get("details").get("threshold").asInt()).isEqualTo(5000);
    // the response named that event and the threshold
    assertThat(escalated.at("/escalation/event_id").asText()).isEqualTo(e.get("event_id").asText());
    assertThat(escalated.at("/escalation/threshold/amount").asInt()).isEqualTo(5000);
    assertThat(escalated.at("/escalation/threshold/currency").asText()).isEqualTo("EUR");
    // and only an escalation carries it
    JsonNode allowed = verify(tenant, body("monco:agent:esc", "{\"amount\": 100, \"currency\": \"EUR\"}")).body();
    assertThat(allowed.has("escalation")).isFalse();
    // AuthZEN's decision context carries it too
    JsonNode viaAuthZen = api.post(tenant, "/access/v1/evaluation", """
        {"subject": {"type": "ai_agent", "id": "monco:agent:esc"},
         "action": {"name": "construction.validation.approve"},
         "resource": {"type": "monco:project", "id": "p1/zone:EG"},
         "context": {"amount": 7000, "currency": "EUR"}}""").body();
    assertThat(viaAuthZen.get("decision").asBoolean()).isFalse();
    assertThat(viaAuthZen.at("/context/escalation/event_id").asText()).startsWith("evt_")
        .isNotEqualTo(viaAuthZen.at("/context/id").asText());
    assertThat(viaAuthZen.at("/context/escalation/threshold/amount").asInt()).isEqualTo(5000);
  }

  @Test
  void mfaRequired_needsAFreshProofInTheContext_andTheProofIsNotRecorded() {
    TestApp.Tenant tenant = app.newTenant();
    mandate(tenant, "monco:agent:mfa", "ALLOW", "{\"mfa_required\": true}");
    JsonNode without = awaitIndexed(tenant, body("monco:agent:mfa", "{}"));
    assertThat(without.get("reason_codes")).extracting(JsonNode::asText).containsExactly("MFA_REQUIRED");

    String proof = "{\"mfa\": {\"verified\": true, \"method\": \"totp\", \"verified_at\": \"" + Instant.now() + "\"}}";
    JsonNode with = verify(tenant, body("monco:agent:mfa", proof)).body();
    assertThat(with.get("decision").asText()).isEqualTo("ALLOW");
    JsonNode event = awaitEvent(tenant, with.get("event_id").asText());
    assertThat(event.get("details").get("context").get("mfa_method").asText()).isEqualTo("totp");
    assertThat(event.get("details").get("context").has("mfa")).as("only the method is recorded").isFalse();
  }

  /**
   * The decision recorder asks a batch's two kinds of checks in one query: it says what the two
   * separate reads say, check by check, with the rows of each kind told apart and each tenant's
   * rows kept to its own checks.
   */
  @Test
  void aBatchsStatusAndDenyChecks_askedInOneQuery_sayWhatTheSeparateReadsSay() {
    TestApp.Tenant tenant = app.newTenant();
    TestApp.Tenant neighbour = app.newTenant();
    String active = mandate(tenant, "monco:agent:batch-a", "ALLOW", "{}");
    String revoked = mandate(tenant, "monco:agent:batch-b", "ALLOW", "{}");
    assertThat(api.post(tenant, "/v1/mandates/" + revoked + "/revoke", "{}").status()).isEqualTo(200);
    String deny = mandate(tenant, "monco:agent:batch-a", "DENY", "{}");
    String neighbours = mandate(neighbour, "monco:agent:batch-a", "ALLOW", "{}");
    FreshnessGuard guard = app.bean(FreshnessGuard.class);
    List<ActiveCheck> checks = List.of(
        new ActiveCheck(tenant.id(), active),
        new ActiveCheck(tenant.id(), revoked),
        new ActiveCheck(neighbour.id(), neighbours),
        new ActiveCheck(neighbour.id(), revoked)); // another tenant's id: its row is not this check's
    List<DenyCheck> denyChecks = List.of(
        new DenyCheck(tenant.id(), "monco:agent:batch-a", Map.of(active, 0L)), // did not see the DENY
        new DenyCheck(tenant.id(), "monco:agent:batch-a", Map.of(active, 0L, deny, 0L)),
        new DenyCheck(neighbour.id(), "monco:agent:batch-a", Map.of(neighbours, 0L)),
        new DenyCheck(tenant.id(), "monco:agent:batch-b", Map.of()));

    DecisionRecorder.Refusals together = guard.refusals(checks, denyChecks);

    assertThat(together.notActive()).containsExactly(new ActiveCheck(tenant.id(), revoked));
    assertThat(together.unseenDenies()).containsExactly(denyChecks.get(0));
    assertThat(together.notActive()).isEqualTo(guard.notActive(checks));
    assertThat(together.unseenDenies()).isEqualTo(guard.unseenDenies(denyChecks));
  }

  @Test
  void aDenyMandate_overridesAnAllow() {
    TestApp.Tenant tenant = app.newTenant();
    mandate(tenant, "monco:agent:both", "ALLOW", "{}");
    assertThat(awaitIndexed(tenant, body("monco:agent:both", "{}")).get("decision").asText()).isEqualTo("ALLOW");
    String deny = mandate(tenant, "monco:agent:both", "DENY", "{}");

    // a 503 until the index has the DENY mandate (deny-index-wait) is no ALLOW either
    JsonNode denied = await().atMost(Duration.ofSeconds(30)).until(
        () -> verify(tenant, body("monco:agent:both", "{}")),
        r -> r.status() == 200 && r.body().get("decision").asText().equals("DENY")).body();
    assertThat(denied.get("mandate_id").asText()).isEqualTo(deny);
    assertThat(denied.get("reason_codes")).extracting(JsonNode::asText).containsExactly("EXPLICIT_DENY");
  }

  @Test
  void anotherTenantsMandate_neverAllows_andItsDecisionsStayInItsOwnTrail() {
    TestApp.Tenant owner = app.newTenant();
    TestApp.Tenant other = app.newTenant();
    mandate(owner, "monco:agent:shared-name", "ALLOW", "{}");
    assertThat(awaitIndexed(owner, body("monco:agent:shared-name", "{}")).get("decision").asText()).isEqualTo("ALLOW");

    JsonNode foreign = verify(other, body("monco:agent:shared-name", "{}")).body();
    assertThat(foreign.get("decision").asText()).isEqualTo("DENY");
    assertThat(foreign.get("reason_codes")).extracting(JsonNode::asText).containsExactly("NO_MATCHING_MANDATE");
    String eventId = foreign.get("event_id").asText();
    awaitEvent(other, eventId);
    assertThat(api.get(owner, "/v1/events/" + eventId).status()).isEqualTo(404);
  }

  @Test
  void badInput_is400_andMissingCredentialIs401() {
    TestApp.Tenant tenant = app.newTenant();
    Map<String, String> cases = Map.of(
        "{\"action\": \"a.b\", \"resource\": \"r:1\"}", "delegate_subject_id",
        "{\"delegate_subject_id\": \"d\", \"resource\": \"r:1\"}", "action",
        "{\"delegate_subject_id\": \"d\", \"action\": \"a.b\"}", "resource",
        "{\"delegate_subject_id\": \"d\", \"action\": \"Not An Action\", \"resource\": \"r:1\"}", "action",
        "{\"delegate_subject_id\": \"d\", \"action\": \"a.b\", \"resource\": \"r//x\"}", "resource",
        "{\"delegate_subject_id\": \"d\", \"action\": \"a.b\", \"resource\": \"r:1\", \"context\": {\"amount\": \"lots\"}}",
        "context.amount");
    cases.forEach((requestBody, param) -> {
      Api.Response r = verify(tenant, requestBody);
      assertThat(r.status()).as(requestBody).isEqualTo(400);
      assertThat(r.body().get("code").asText()).isEqualTo("VALIDATION_ERROR");
      assertThat(r.body().get("details").get(0).get("param").asText()).as(requestBody).isEqualTo(param);
    });
    assertThat(verify(tenant, "{not json").status()).isEqualTo(400);
    assertThat(verify(tenant, null).status()).isEqualTo(400);
    assertThat(api.post(tenant, "/v1/verify?pom=jwt", body("d", "{}")).status()).isEqualTo(400);
    Api.Response anonymous = api.post(null, "/v1/verify", body("d", "{}"));
    assertThat(anonymous.status()).isEqualTo(401);
    // decisions are in the event store before the response, so the count is exact at once
    assertThat(app.storedEvents(tenant.id(), "Verification"))
        .as("refused requests record no decision").isZero();
    // and the count does see a decision when there is one
    assertThat(verify(tenant, body("d", "{}")).status()).isEqualTo(200);
    assertThat(app.storedEvents(tenant.id(), "Verification")).isEqualTo(1);
  }
}
