package com.mandateregistry.query.verification.authzen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.Caller;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.api.web.UnexpectedFailures;
import com.mandateregistry.query.verification.Decision;
import com.mandateregistry.query.verification.Verdict;
import com.mandateregistry.query.verification.VerificationRequest;
import com.mandateregistry.query.verification.authzen.AuthZenEvaluator.DecisionBody;
import com.mandateregistry.query.verification.authzen.AuthZenEvaluator.EvaluationsBody;
import com.mandateregistry.query.verification.web.VerificationService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AuthZEN layer over a stubbed {@link Verifier}: the mapping to a verification request, the
 * answers, the defaults of a batch, the three evaluation semantics, and which problems are a 400
 * and which are one evaluation's error.
 */
class AuthZenEvaluatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Caller CALLER = new Caller("tnt_A", "api_key", "key_A");
  private static final String ALLOWED_ACTION = "construction.validation.approve";

  /**
   * Test-only stub of the registry: allows {@code monco:agent:a1} every {@code
   * construction.validation.*} action on {@code monco:project:p1…}, denies everything else; records
   * every request; can fail from its {@code failFrom}-th call on.
   */
  private static final class StubVerifier implements Verifier {
    final List<VerificationRequest> requests = new ArrayList<>();
    int failFrom = Integer.MAX_VALUE;
    int attempts;
    /** What a failing call throws; by default the 503 of a decision not recorded. */
    java.util.function.Supplier<RuntimeException> failure =
        () -> new ApiException(503, "SERVICE_UNAVAILABLE", "not recorded; retry", List.of());

    @Override
    public VerificationService.Outcome verify(Caller caller, VerificationRequest request) {
      attempts++;
      if (requests.size() >= failFrom) {
        throw failure.get();
      }
      requests.add(request);
      String eventId = "evt_" + requests.size();
      boolean allowed = request.delegateSubjectId().equals("monco:agent:a1")
          && request.action().startsWith("construction.validation.")
          && request.resource().startsWith("monco:project:p1");
      Decision decision = allowed
          ? new Decision(Verdict.ALLOW, "mdt_1", List.of(), Map.of("uses_remaining", 4), false)
          : new Decision(Verdict.DENY, null, List.of("NO_MATCHING_MANDATE"), Map.of(), false);
      return new VerificationService.Outcome(decision, eventId, null, null);
    }
  }

  private final StubVerifier verifier = new StubVerifier();
  /**
   * The error handling's answer, as infra's gives it (DatabaseUnavailableTest tests which failures
   * mean the database is unreachable): 503 for a connection that could not be had, else 500.
   */
  private static final UnexpectedFailures FAILURES = failure ->
      failure instanceof org.springframework.jdbc.CannotGetJdbcConnectionException
          ? new ApiException(503, "SERVICE_UNAVAILABLE", "the database is unavailable; retry shortly", List.of())
          : new ApiException(500, "INTERNAL_ERROR", "internal error; see the server log", List.of());

  private final AuthZenEvaluator evaluator = new AuthZenEvaluator(verifier, FAILURES);

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String permitted(String extra) {
    return """
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "resource": {"type": "monco:project", "id": "p1/zone:EG"}%s}
        """.formatted(extra);
  }

  // --- mapping -----------------------------------------------------------------------------

  @Test
  void evaluation_mapsSubjectIdActionNameTypedResourceAndContext() {
    DecisionBody answer = evaluator.evaluation(CALLER, json("""
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "resource": {"type": "monco:project", "id": "proj_ABC123/zone:EG"},
         "context": {"amount": 12.5, "currency": "EUR", "mfa": {"verified": true, "method": "totp"},
                     "time": "1985-10-26T01:22-07:00"}}
        """));

    assertThat(verifier.requests).singleElement().satisfies(r -> {
      assertThat(r.delegateSubjectId()).isEqualTo("monco:agent:a1");
      assertThat(r.action()).isEqualTo(ALLOWED_ACTION);
      assertThat(r.resource()).isEqualTo("monco:project:proj_ABC123/zone:EG");
      assertThat(r.context()).containsEntry("amount", 12.5).containsEntry("currency", "EUR")
          .containsEntry("mfa", Map.of("verified", true, "method", "totp"));
    });
    assertThat(answer.decision()).isFalse();
  }

  @Test
  void resourceId_keepsAnIdThatAlreadyCarriesItsType() {
    assertThat(AuthZenEvaluator.resourceId("monco:project", "proj_ABC123/zone:EG"))
        .isEqualTo("monco:project:proj_ABC123/zone:EG");
    assertThat(AuthZenEvaluator.resourceId("monco:project", "monco:project:proj_ABC123/zone:EG"))
        .isEqualTo("monco:project:proj_ABC123/zone:EG");
    assertThat(AuthZenEvaluator.resourceId("monco:project", "monco:projectX"))
        .as("the prefix is the type and a colon")
        .isEqualTo("monco:project:monco:projectX");
    assertThat(AuthZenEvaluator.resourceId("document", "123")).isEqualTo("document:123");
  }

  @Test
  void properties_andUnknownMembers_areIgnored() {
    evaluator.evaluation(CALLER, json(permitted("")));
    evaluator.evaluation(CALLER, json("""
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1", "properties": {"department": "Sales"}},
         "action": {"name": "construction.validation.approve", "properties": {"method": "GET"}},
         "resource": {"type": "monco:project", "id": "p1/zone:EG", "properties": {"owner": "bob"}},
         "foo": "bar", "futureField": {"nested": true}}
        """));

    assertThat(verifier.requests).hasSize(2);
    assertThat(verifier.requests.get(1)).isEqualTo(verifier.requests.get(0));
  }

  @Test
  void aPermit_isDecisionTrue_withTheRecordedEventInTheContext() {
    DecisionBody answer = evaluator.evaluation(CALLER, json(permitted("")));

    assertThat(answer.decision()).isTrue();
    assertThat(answer.context().id()).isEqualTo("evt_1");
    assertThat(answer.context().mandateId()).isEqualTo("mdt_1");
    assertThat(answer.context().reasonCodes()).isEmpty();
    assertThat(answer.context().constraintsRemaining()).containsEntry("uses_remaining", 4);
    assertThat(answer.context().error()).isNull();
  }

  @Test
  void theWireShape_omitsNullMembers() throws JsonProcessingException {
    JsonNode permit = JSON.valueToTree(evaluator.evaluation(CALLER, json(permitted(""))));
    assertThat(permit).isEqualTo(json("""
        {"decision": true, "context": {"id": "evt_1", "reason_codes": [], "mandate_id": "mdt_1",
                                       "constraints_remaining": {"uses_remaining": 4}}}"""));

    JsonNode deny = JSON.valueToTree(evaluator.evaluation(CALLER, json("""
        {"subject": {"type": "ai_agent", "id": "monco:agent:nobody"},
         "action": {"name": "construction.validation.approve"},
         "resource": {"type": "monco:project", "id": "p1"}}""")));
    assertThat(deny).isEqualTo(json("""
        {"decision": false, "context": {"id": "evt_2", "reason_codes": ["NO_MATCHING_MANDATE"],
                                        "constraints_remaining": {}}}"""));
  }

  // --- 400s of a single evaluation ---------------------------------------------------------

  static Stream<Arguments> malformedSingleEvaluations() {
    String subject = "\"subject\": {\"type\": \"ai_agent\", \"id\": \"monco:agent:a1\"}";
    String action = "\"action\": {\"name\": \"construction.validation.approve\"}";
    String resource = "\"resource\": {\"type\": \"monco:project\", \"id\": \"p1\"}";
    return Stream.of(
        arguments("{" + action + ", " + resource + "}", "subject", "is required"),
        arguments("{" + subject + ", " + resource + "}", "action", "is required"),
        arguments("{" + subject + ", " + action + "}", "resource", "is required"),
        arguments("{\"subject\": null, " + action + ", " + resource + "}", "subject", "is required"),
        arguments("{\"subject\": {\"id\": \"monco:agent:a1\"}, " + action + ", " + resource + "}",
            "subject.type", "is required"),
        arguments("{\"subject\": {\"type\": \"ai_agent\"}, " + action + ", " + resource + "}",
            "subject.id", "is required"),
        arguments("{\"subject\": {\"type\": \"ai_agent\", \"id\": \" \"}, " + action + ", " + resource + "}",
            "subject.id", "must not be blank"),
        arguments("{" + subject + ", \"action\": {}, " + resource + "}", "action.name", "is required"),
        arguments("{" + subject + ", " + action + ", \"resource\": {\"id\": \"p1\"}}", "resource.type",
            "is required"),
        arguments("{" + subject + ", " + action + ", \"resource\": {\"type\": \"monco:project\"}}",
            "resource.id", "is required"),
        arguments("{\"subject\": \"alice\", " + action + ", " + resource + "}", "subject",
            "must be an object"),
        arguments("{" + subject + ", \"action\": {\"name\": 123}, " + resource + "}", "action.name",
            "must be a string"),
        arguments("{\"subject\": {\"type\": \"ai_agent\", \"id\": \"a\", \"properties\": [1]}, " + action
            + ", " + resource + "}", "subject.properties", "must be an object"),
        arguments("{" + subject + ", " + action + ", " + resource + ", \"context\": \"x\"}", "context",
            "must be an object"),
        arguments("{" + subject + ", \"action\": {\"name\": \"Not An Action\"}, " + resource + "}",
            "action.name", null),
        arguments("{" + subject + ", " + action
            + ", \"resource\": {\"type\": \"monco:project\", \"id\": \"p1//x\"}}", "resource", null),
        arguments("{" + subject + ", " + action + ", " + resource + ", \"context\": {\"amount\": \"lots\"}}",
            "context.amount", null),
        arguments("{" + subject + ", " + action + ", " + resource
            + ", \"context\": {\"mfa\": {\"verified\": \"yes\"}}}", "context.mfa.verified", null),
        arguments("[1, 2]", "body", "must be a JSON object"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("malformedSingleEvaluations")
  void evaluation_withAMissingOrMalformedMember_is400NamingIt_andVerifiesNothing(
      String body, String param, String msg) {
    assertThatThrownBy(() -> evaluator.evaluation(CALLER, json(body)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
          assertThat(e.details()).singleElement().satisfies(d -> {
            assertThat(d.param()).isEqualTo(param);
            assertThat(d.location()).isEqualTo("body");
            if (msg != null) {
              assertThat(d.msg()).isEqualTo(msg);
            }
          });
        });
    assertThat(verifier.requests).isEmpty();
  }

  @Test
  void evaluation_ofANullBody_is400() {
    assertThatThrownBy(() -> evaluator.evaluation(CALLER, null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
  }

  // --- evaluations: defaults, shapes ------------------------------------------------------

  @Test
  void evaluations_withoutOrWithEmptyEvaluations_isASingleEvaluation() {
    Object absent = evaluator.evaluations(CALLER, json(permitted("")));
    Object empty = evaluator.evaluations(CALLER, json(permitted(", \"evaluations\": []")));
    Object nulled = evaluator.evaluations(CALLER, json(permitted(", \"evaluations\": null")));

    assertThat(List.of(absent, empty, nulled)).allSatisfy(answer ->
        assertThat(answer).isInstanceOfSatisfying(DecisionBody.class, d -> assertThat(d.decision()).isTrue()));
    assertThat(verifier.requests).hasSize(3);
  }

  @Test
  void evaluations_withoutEvaluations_andAMissingMember_is400() {
    assertThatThrownBy(() -> evaluator.evaluations(CALLER, json("""
        {"action": {"name": "construction.validation.approve"},
         "resource": {"type": "monco:project", "id": "p1"}, "evaluations": []}""")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.details().get(0).param()).isEqualTo("subject");
        });
  }

  @Test
  void evaluations_applyTheTopLevelDefaults_andEachItemOverridesWholeMembers() {
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(CALLER, json("""
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "context": {"amount": 10, "currency": "EUR"},
         "evaluations": [
           {"resource": {"type": "monco:project", "id": "p1/zone:EG"}},
           {"resource": {"type": "monco:project", "id": "p1"}, "action": {"name": "construction.validation.reject"}},
           {"resource": {"type": "monco:project", "id": "p1"}, "context": {"mfa": {"verified": true}}},
           {"resource": {"type": "monco:project", "id": "p1"}, "subject": {"type": "ai_agent", "id": "monco:agent:b2"}}
         ]}"""));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true, true, true, false);
    assertThat(verifier.requests).extracting(VerificationRequest::action).containsExactly(
        ALLOWED_ACTION, "construction.validation.reject", ALLOWED_ACTION, ALLOWED_ACTION);
    assertThat(verifier.requests).extracting(VerificationRequest::delegateSubjectId).containsExactly(
        "monco:agent:a1", "monco:agent:a1", "monco:agent:a1", "monco:agent:b2");
    assertThat(verifier.requests).extracting(VerificationRequest::resource).containsExactly(
        "monco:project:p1/zone:EG", "monco:project:p1", "monco:project:p1", "monco:project:p1");
    assertThat(verifier.requests.get(0).context()).isEqualTo(Map.of("amount", 10, "currency", "EUR"));
    assertThat(verifier.requests.get(2).context())
        .as("an evaluation's context replaces the default, it is not merged with it")
        .isEqualTo(Map.of("mfa", Map.of("verified", true)));
    assertThat(answer.evaluations()).extracting(d -> d.context().id())
        .containsExactly("evt_1", "evt_2", "evt_3", "evt_4");
  }

  @Test
  void evaluations_withEveryMemberInTheItems_needNoDefaults() {
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(CALLER, json("""
        {"evaluations": [%s, %s]}""".formatted(permitted(""), permitted(""))));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true, true);
  }

  // --- semantics ---------------------------------------------------------------------------

  /** Three evaluations: permit, deny, permit (by resource). */
  static String batch(String semantic, String... resources) {
    StringBuilder items = new StringBuilder();
    for (String resource : resources) {
      items.append(items.isEmpty() ? "" : ", ")
          .append("{\"resource\": {\"type\": \"monco:project\", \"id\": \"").append(resource).append("\"}}");
    }
    return """
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         %s
         "evaluations": [%s]}"""
        .formatted(semantic == null ? "" : "\"options\": {\"evaluations_semantic\": \"" + semantic + "\"},", items);
  }

  @Test
  void executeAll_isTheDefault_andAnswersEveryEvaluationInOrder() {
    for (String semantic : new String[] {null, "execute_all"}) {
      verifier.requests.clear();
      EvaluationsBody answer =
          (EvaluationsBody) evaluator.evaluations(CALLER, json(batch(semantic, "p1", "p2", "p1/x")));

      assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true, false, true);
      assertThat(verifier.requests).hasSize(3);
    }
  }

  @Test
  void denyOnFirstDeny_stopsAfterTheFirstDeny_andAnswersUpToIt() {
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(
        CALLER, json(batch("deny_on_first_deny", "p1", "p2", "p1/x")));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true, false);
    assertThat(verifier.requests).extracting(VerificationRequest::resource)
        .containsExactly("monco:project:p1", "monco:project:p2");
  }

  @Test
  void denyOnFirstDeny_withoutAnyDeny_answersEverything() {
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(
        CALLER, json(batch("deny_on_first_deny", "p1", "p1/a", "p1/b")));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true, true, true);
  }

  @Test
  void permitOnFirstPermit_stopsAfterTheFirstPermit_andAnswersUpToIt() {
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(
        CALLER, json(batch("permit_on_first_permit", "p2", "p1", "p3")));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(false, true);
    assertThat(verifier.requests).hasSize(2);
  }

  @Test
  void permitOnFirstPermit_withoutAnyPermit_answersEverything() {
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(
        CALLER, json(batch("permit_on_first_permit", "p2", "p3", "p4")));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(false, false, false);
  }

  static Stream<Arguments> malformedBatches() {
    return Stream.of(
        arguments(batch("deny_on_first_permit", "p1"), "options.evaluations_semantic"),
        arguments(batch("EXECUTE_ALL", "p1"), "options.evaluations_semantic"),
        arguments(permitted(", \"options\": {\"evaluations_semantic\": 1}, \"evaluations\": [{}]"),
            "options.evaluations_semantic"),
        arguments(permitted(", \"options\": \"execute_all\", \"evaluations\": [{}]"), "options"),
        arguments(permitted(", \"evaluations\": {\"resource\": {}}"), "evaluations"),
        arguments("\"text\"", "body"),
        // AuthZEN's information model, in any item, once the defaults are applied
        arguments("""
            {"action": {"name": "construction.validation.approve"},
             "resource": {"type": "monco:project", "id": "p1"},
             "evaluations": [{"subject": {"type": "ai_agent", "id": "monco:agent:a1"}}, {}]}""",
            "evaluations[1].subject"),
        arguments(permitted(", \"evaluations\": [{}, {\"resource\": {\"type\": \"monco:project\"}}]"),
            "evaluations[1].resource.id"),
        arguments(permitted(", \"evaluations\": [{\"subject\": {\"id\": \"monco:agent:a1\"}}]"),
            "evaluations[0].subject.type"),
        arguments(permitted(", \"evaluations\": [{}, \"not an object\"]"), "evaluations[1]"),
        arguments(permitted(", \"evaluations\": [{\"action\": {\"name\": 7}}]"), "evaluations[0].action.name"),
        arguments(permitted(", \"evaluations\": [{\"context\": [1]}]"), "evaluations[0].context"),
        arguments("""
            {"subject": {"type": "ai_agent"}, "action": {"name": "construction.validation.approve"},
             "evaluations": [
               {"resource": {"type": "monco:project", "id": "p1"},
                "subject": {"type": "ai_agent", "id": "monco:agent:a1"}},
               {"resource": {"type": "monco:project", "id": "p1"}}]}""",
            "subject.id"));
  }

  @Test
  void withoutEvaluations_optionsAreNotRead_asOnTheSingleEndpoint() {
    Object answer = evaluator.evaluations(
        CALLER, json(permitted(", \"options\": {\"evaluations_semantic\": \"first_match\"}")));

    assertThat(answer).isInstanceOfSatisfying(DecisionBody.class, d -> assertThat(d.decision()).isTrue());
    assertThat(evaluator.evaluations(CALLER, json(permitted(", \"options\": 1, \"evaluations\": []"))))
        .isInstanceOf(DecisionBody.class);
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("malformedBatches")
  void aProblemOfTheWholeRequest_is400_andVerifiesNothing(String body, String param) {
    assertThatThrownBy(() -> evaluator.evaluations(CALLER, json(body)))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.details()).extracting(ErrorDetail::param).containsExactly(param);
        });
    assertThat(verifier.requests).isEmpty();
  }

  @Test
  void unknownOptions_areIgnored() {
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(CALLER, json(batch("execute_all", "p1")
        .replace("\"options\": {", "\"options\": {\"another_option\": \"value\", ")));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true);
  }

  // --- limits ------------------------------------------------------------------------------

  @Test
  void atMostOneHundredEvaluations_perRequest() {
    String[] hundred = new String[AuthZenEvaluator.MAX_EVALUATIONS];
    java.util.Arrays.fill(hundred, "p1");
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(CALLER, json(batch(null, hundred)));
    assertThat(answer.evaluations()).hasSize(100);

    verifier.requests.clear();
    String[] more = new String[AuthZenEvaluator.MAX_EVALUATIONS + 1];
    java.util.Arrays.fill(more, "p1");
    assertThatThrownBy(() -> evaluator.evaluations(CALLER, json(batch(null, more))))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.details().get(0).param()).isEqualTo("evaluations");
          assertThat(e.details().get(0).value()).isEqualTo(101);
        });
    assertThat(verifier.requests).isEmpty();
  }

  // --- errors of one evaluation ------------------------------------------------------------

  @Test
  void anEvaluationWhoseValuesTheRegistryRefuses_isDecisionFalseWithItsError_andTheOthersAreAnswered()
      throws Exception {
    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(CALLER, json("""
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "evaluations": [
           {"resource": {"type": "monco:project", "id": "p1"}},
           {"resource": {"type": "monco:project", "id": "p1"}, "action": {"name": "Not An Action"}},
           {"resource": {"type": "monco:project", "id": "p1//x"}},
           {"resource": {"type": "monco:project", "id": "p1"}, "context": {"amount": -1}},
           {"resource": {"type": "monco:project", "id": "p1/zone:EG"}}
         ]}"""));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision)
        .containsExactly(true, false, false, false, true);
    assertThat(answer.evaluations().subList(1, 4)).extracting(d -> d.context().error().details().get(0).param())
        .containsExactly("evaluations[1].action.name", "evaluations[2].resource", "evaluations[3].context.amount");
    assertThat(answer.evaluations().subList(1, 4)).allSatisfy(d -> {
      assertThat(d.context().error().status()).isEqualTo(400);
      assertThat(d.context().error().code()).isEqualTo("VALIDATION_ERROR");
      assertThat(d.context().id()).as("nothing was recorded").isNull();
    });
    assertThat(verifier.requests).as("only the valid evaluations are verified").hasSize(2);
    JsonNode wire = JSON.valueToTree(answer.evaluations().get(1));
    assertThat(wire.get("decision").asBoolean()).isFalse();
    assertThat(wire.at("/context").fieldNames()).toIterable().containsExactly("error");
    assertThat(wire.at("/context/error").fieldNames()).toIterable()
        .containsExactly("status", "code", "message", "details");
    assertThat(wire.at("/context/error/details/0/value").asText()).isEqualTo("Not An Action");
    assertThat(wire.at("/context/error/details/0/location").asText()).isEqualTo("body");
    assertThat(wire.at("/context/error/message").asText()).startsWith("evaluations[1].action.name: ");
  }

  @Test
  void anItemThatDoesNotFollowTheInformationModel_failsTheWholeRequest_beforeAnyIsEvaluated() {
    // the broken item is the last: under deny_on_first_deny the first item would stop the batch,
    // and still nothing is evaluated
    assertThatThrownBy(() -> evaluator.evaluations(CALLER, json("""
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "options": {"evaluations_semantic": "deny_on_first_deny"},
         "evaluations": [
           {"resource": {"type": "monco:project", "id": "p2"}},
           {"resource": {"type": "monco:project", "id": "p1"}},
           {}
         ]}""")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("VALIDATION_ERROR");
          assertThat(e.details()).singleElement().satisfies(d -> {
            assertThat(d.param()).isEqualTo("evaluations[2].resource");
            assertThat(d.msg()).isEqualTo("is required (in the evaluation or as a top-level default)");
          });
        });
    assertThat(verifier.requests).isEmpty();
  }

  @Test
  void anError_countsAsADeny_forTheShortCircuitingSemantics() {
    String refused = "{\"resource\": {\"type\": \"monco:project\", \"id\": \"p1//x\"}}";
    String body = """
        {"subject": {"type": "ai_agent", "id": "monco:agent:a1"},
         "action": {"name": "construction.validation.approve"},
         "options": {"evaluations_semantic": "%s"},
         "evaluations": [%s, {"resource": {"type": "monco:project", "id": "p1"}}, %s]}""";

    EvaluationsBody denyFirst = (EvaluationsBody) evaluator.evaluations(
        CALLER, json(body.formatted("deny_on_first_deny", refused, refused)));
    assertThat(denyFirst.evaluations()).extracting(DecisionBody::decision).containsExactly(false);
    assertThat(verifier.requests).isEmpty();

    EvaluationsBody permitFirst = (EvaluationsBody) evaluator.evaluations(
        CALLER, json(body.formatted("permit_on_first_permit", refused, refused)));
    assertThat(permitFirst.evaluations()).extracting(DecisionBody::decision).containsExactly(false, true);
  }

  @Test
  void aVerificationThatFails_beforeAnyDecisionIsRecorded_failsTheWholeRequest() {
    verifier.failFrom = 0;

    assertThatThrownBy(() -> evaluator.evaluations(CALLER, json(batch(null, "p1", "p1"))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    assertThatThrownBy(() -> evaluator.evaluation(CALLER, json(permitted(""))))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  @Test
  void aVerificationThatFails_afterADecisionWasRecorded_isThatEvaluationsError() {
    verifier.failFrom = 1;

    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(CALLER, json(batch(null, "p1", "p1", "p1")));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true, false, false);
    assertThat(answer.evaluations().get(1).context().error().status()).isEqualTo(503);
    assertThat(answer.evaluations().get(1).context().error().code()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(answer.evaluations().get(2).context().error().status()).isEqualTo(503);
    assertThat(verifier.attempts).as("the items after a 503 are not tried").isEqualTo(2);
  }

  /**
   * A failure that is not an ApiException (the database unreachable from the freshness read or the
   * usage counter) after a decision was recorded: the recorded decision still reaches the caller,
   * and the failing item says 503; before, the whole request failed and a retry consumed the
   * recorded item's rate limit again.
   */
  @Test
  void aDatabaseFailure_afterADecisionWasRecorded_isThatEvaluationsError_andTheRecordedOneIsAnswered() {
    verifier.failFrom = 1;
    verifier.failure = () -> new org.springframework.jdbc.CannotGetJdbcConnectionException("pool timed out");

    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(CALLER, json(batch(null, "p1", "p1", "p1")));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true, false, false);
    assertThat(answer.evaluations().get(1).context().error().status()).isEqualTo(503);
    assertThat(answer.evaluations().get(1).context().error().code()).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(verifier.attempts).isEqualTo(2);
  }

  @Test
  void anUnexpectedFailure_afterADecisionWasRecorded_isThatEvaluations500_andBeforeItTheWholeRequestsFailure() {
    verifier.failFrom = 1;
    verifier.failure = () -> new IllegalStateException("a bug");

    EvaluationsBody answer = (EvaluationsBody) evaluator.evaluations(CALLER, json(batch(null, "p1", "p1")));

    assertThat(answer.evaluations()).extracting(DecisionBody::decision).containsExactly(true, false);
    assertThat(answer.evaluations().get(1).context().error().status()).isEqualTo(500);
    assertThat(answer.evaluations().get(1).context().error().code()).isEqualTo("INTERNAL_ERROR");

    verifier.failFrom = 0;
    assertThatThrownBy(() -> evaluator.evaluations(CALLER, json(batch(null, "p1", "p1"))))
        .isInstanceOf(IllegalStateException.class);
  }

  // --- metadata ----------------------------------------------------------------------------

  @Test
  void metadata_namesTheEndpointsUnderThePublicBaseUrl() {
    AuthZenController.Metadata metadata = AuthZenController.Metadata.of("https://registry.example.com/");

    assertThat((JsonNode) JSON.valueToTree(metadata)).isEqualTo(json("""
        {"policy_decision_point": "https://registry.example.com",
         "access_evaluation_endpoint": "https://registry.example.com/access/v1/evaluation",
         "access_evaluations_endpoint": "https://registry.example.com/access/v1/evaluations"}"""));
  }

  @Test
  void metadata_refusesABaseUrlNoPepCouldUse() {
    for (String bad : new String[] {"", "registry.example.com", "ftp://registry.example.com",
        "https://registry.example.com?x=1", "https://registry.example.com#top", "https://"}) {
      assertThatThrownBy(() -> AuthZenController.Metadata.of(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mandate-registry.public-base-url");
    }
  }
}
