package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every class of bad input gets a clear 400 in the error shape and stores nothing. */
class BadInputIT {

  private static TestApp app;
  private static Api api;
  private TestApp.Tenant tenant;

  @BeforeAll
  static void start() {
    app = TestApp.shared();
    api = app.api;
  }

  @BeforeEach
  void newTenant() {
    tenant = app.newTenant();
  }

  private JsonNode assertBadRequest(Api.Response r) {
    return Api.assertError(r, 400, "VALIDATION_ERROR");
  }

  private void assertNothingStored() {
    assertThat(app.storedEvents(tenant.id(), "Mandate")).isZero();
  }

  @Test
  void malformedJson_is400() {
    JsonNode body = assertBadRequest(api.post(tenant, "/v1/mandates", "{\"principal\": {"));
    assertThat(body.get("message").asText()).contains("not valid JSON");
    assertNothingStored();
  }

  @Test
  void missingBody_is400() {
    assertBadRequest(api.post(tenant, "/v1/mandates", null));
    assertNothingStored();
  }

  @Test
  void missingRequiredField_is400_namingTheField() {
    String noDelegate =
        """
        {"principal": {"type": "natural_person", "subject_id": "u"},
         "scope": {"actions": ["a.b"], "resources": ["r"]}}
        """;
    JsonNode body = assertBadRequest(api.post(tenant, "/v1/mandates", noDelegate));
    assertThat(body.get("details")).anySatisfy(d -> {
      assertThat(d.get("param").asText()).isEqualTo("delegate");
      assertThat(d.get("location").asText()).isEqualTo("body");
      assertThat(d.get("msg").asText()).isNotBlank();
    });
    String blankSubject = Api.mandateBody("", null);
    JsonNode blank = assertBadRequest(api.post(tenant, "/v1/mandates", blankSubject));
    assertThat(blank.get("details")).anySatisfy(d -> assertThat(d.get("param").asText()).isEqualTo("delegate.subject_id"));
    assertNothingStored();
  }

  @Test
  void unknownEnumValue_is400_listingTheAllowedValues() {
    String body = Api.mandateBody("agent", null).replace("\"ALLOW\"", "\"MAYBE\"");
    JsonNode error = assertBadRequest(api.post(tenant, "/v1/mandates", body));
    JsonNode detail = error.get("details").get(0);
    assertThat(detail.get("param").asText()).isEqualTo("scope.effect");
    assertThat(detail.get("value").asText()).isEqualTo("MAYBE");
    assertThat(detail.get("msg").asText()).contains("ALLOW").contains("DENY");
    JsonNode status = assertBadRequest(api.get(tenant, "/v1/mandates?status=SLEEPING"));
    assertThat(status.at("/details/0/param").asText()).isEqualTo("status");
    assertThat(status.at("/details/0/location").asText()).isEqualTo("query");
    assertNothingStored();
  }

  @Test
  void limitOutOfRange_is400() {
    for (String limit : List.of("0", "201", "-1", "abc")) {
      JsonNode body = assertBadRequest(api.get(tenant, "/v1/mandates?limit=" + limit));
      assertThat(body.at("/details/0/param").asText()).isEqualTo("limit");
    }
    assertThat(api.get(tenant, "/v1/mandates?limit=1").status()).isEqualTo(200);
    assertThat(api.get(tenant, "/v1/mandates?limit=200").status()).isEqualTo(200);
  }

  @Test
  void tamperedCursor_is400() {
    for (int i = 0; i < 2; i++) {
      MandateLifecycleIT.create(tenant);
    }
    org.awaitility.Awaitility.await()
        .until(() -> api.get(tenant, "/v1/mandates").body().get("mandates").size() == 2);
    String cursor = api.get(tenant, "/v1/mandates?limit=1").body().at("/pagination/next_cursor").asText();
    assertThat(api.get(tenant, "/v1/mandates?limit=1&cursor=" + cursor).status()).isEqualTo(200);
    // flip one character in the middle: the last one may carry only padding bits
    int i = cursor.length() / 2;
    String tampered = cursor.substring(0, i) + (cursor.charAt(i) == 'A' ? 'B' : 'A') + cursor.substring(i + 1);
    JsonNode body = assertBadRequest(api.get(tenant, "/v1/mandates?limit=1&cursor=" + tampered));
    assertThat(body.at("/details/0/param").asText()).isEqualTo("cursor");
    assertBadRequest(api.get(tenant, "/v1/mandates?cursor=%25%25%25"));
    // a cursor of the unfiltered list is refused by a filtered one
    assertBadRequest(api.get(tenant, "/v1/mandates?status=ACTIVE&cursor=" + cursor));
  }

  @Test
  void oversizedBody_is400_withOrWithoutContentLength() {
    String padding = "x".repeat(70 * 1024);
    String big = Api.mandateBody("agent", null).replace("\"T-1\"", "\"" + padding + "\"");
    JsonNode declared = assertBadRequest(api.post(tenant, "/v1/mandates", big));
    assertThat(declared.get("message").asText()).contains("exceeds");

    HttpRequest chunked =
        HttpRequest.newBuilder(URI.create(api.base + "/v1/mandates"))
            .header("Authorization", tenant.bearer())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofString(big)))
            .build();
    JsonNode streamed = assertBadRequest(api.exchange(chunked));
    assertThat(streamed.get("message").asText()).contains("exceeds");
    assertNothingStored();
  }

  @Test
  void expiryInThePast_is400() {
    JsonNode body = assertBadRequest(api.post(tenant, "/v1/mandates", Api.mandateBody("agent", "2020-01-01T00:00:00Z")));
    assertThat(body.at("/details/0/param").asText()).isEqualTo("expires_at");
    assertBadRequest(api.post(tenant, "/v1/mandates", Api.mandateBody("agent", "next tuesday")));
    assertNothingStored();
  }

  @Test
  void unknownRoute_is404_inTheErrorShape() {
    Api.Response r = api.get(tenant, "/v1/nothing-here");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.body().get("code").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void wrongContentType_is415() {
    Api.Response r =
        api.send(tenant, "POST", "/v1/mandates", null, Map.of("Content-Type", "text/plain"));
    assertThat(r.status()).isIn(400, 415);
    assertThat(r.body().get("code").asText()).isNotBlank();
    assertNothingStored();
  }

  /**
   * Reactivate and approve take no parameters, but a body sent to them is read as to any other
   * transition: malformed JSON is a 400, another media type a 415, and the mandate stays as it was.
   */
  @Test
  void aBadBodyOnATransitionWithoutParameters_isRefused_andTheTransitionDoesNotHappen() {
    String id = MandateLifecycleIT.create(tenant);
    assertThat(api.post(tenant, "/v1/mandates/" + id + "/suspend", "{}").status()).isEqualTo(200);
    for (String transition : List.of("reactivate", "approve")) {
      String path = "/v1/mandates/" + id + "/" + transition;
      assertBadRequest(api.post(tenant, path, "notjson"));
      assertThat(assertBadRequest(api.post(tenant, path, "[]")).get("message").asText())
          .isEqualTo("request body must be a JSON object");
      Api.Response text = api.send(tenant, "POST", path, "hello", Map.of("Content-Type", "text/plain"));
      assertThat(text.status()).as(transition).isEqualTo(415);
      assertThat(text.body().get("code").asText()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }
    assertThat(app.storedEvents(tenant.id(), "Reactivated")).as("still suspended").isZero();

    assertThat(api.post(tenant, "/v1/mandates/" + id + "/reactivate", "{\"note\": \"ignored\"}").status())
        .isEqualTo(200);
    assertThat(api.post(tenant, "/v1/mandates/" + id + "/suspend", null).status()).isEqualTo(200);
    assertThat(api.post(tenant, "/v1/mandates/" + id + "/reactivate", null).status())
        .as("or no body at all").isEqualTo(200);
    assertThat(app.storedEvents(tenant.id(), "Reactivated")).isEqualTo(2);
  }

  /** A CORS preflight (the API allows no cross-origin use) is refused in the error shape. */
  @Test
  void aCorsPreflight_isRefusedInTheErrorShape() {
    Map<String, String> preflight = Map.of(
        "Origin", "https://evil.example", "Access-Control-Request-Method", "POST",
        "X-Request-ID", "preflight-1");
    for (String path : List.of("/access/v1/evaluation", "/v1/verify", "/v1/mandates")) {
      // as a browser sends it: without a credential
      Api.Response r = api.send(null, "OPTIONS", path, null, preflight);
      assertThat(r.status()).as(path).isEqualTo(403);
      assertThat(r.body()).as("JSON, not Spring's plain-text refusal").isNotNull();
      assertThat(r.body().get("code").asText()).isEqualTo("FORBIDDEN");
      assertThat(r.body().get("message").asText()).contains("cross-origin");
      assertThat(r.header("X-Request-ID")).isEqualTo("preflight-1");
      assertThat(r.header("Access-Control-Allow-Origin")).isNull();
    }
  }

  /** A value over its length limit is named with the limit, and only its start is echoed. */
  @Test
  void aValueTooLong_isNamedWithItsLimit_andEchoedShort() {
    String longId = "monco:agent:" + "x".repeat(600);
    JsonNode body = assertBadRequest(api.post(tenant, "/v1/mandates", Api.mandateBody(longId, null)));
    assertThat(body.get("message").asText())
        .isEqualTo("request body is invalid: delegate.subject_id must be at most 512 characters");
    JsonNode detail = body.get("details").get(0);
    assertThat(detail.get("param").asText()).isEqualTo("delegate.subject_id");
    assertThat(detail.get("value").asText()).hasSize(33).endsWith("…").startsWith("monco:agent:xxx");
    assertNothingStored();
  }

  private int decisionsStored() {
    return app.storedEvents(tenant.id(), "Verification");
  }

  private static final String VERIFY =
      """
      {"delegate_subject_id": "monco:agent:a1", "action": "construction.validation.approve",
       "resource": "monco:project:p1/x"}""";

  @Test
  void anyAcceptHeader_getsJson_andAWriteIsNeverAnsweredWithAnErrorAfterItHappened() {
    Map<String, String> xml = Map.of("Accept", "application/xml");
    Api.Response created = api.send(tenant, "POST", "/v1/mandates", Api.mandateBody("agent", null), xml);
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    assertThat(created.header("Content-Type")).startsWith("application/json");
    assertThat(created.body().get("mandate_id").asText()).startsWith("mdt_");

    Api.Response missing =
        api.send(tenant, "GET", "/v1/mandates/mdt_01M8K9AAAAAAAAAAAAAAAAAAAA", null, Map.of("Accept", "text/plain"));
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().get("code").asText()).isEqualTo("NOT_FOUND");

    Api.Response invalid = api.send(tenant, "POST", "/v1/verify", "{}", xml);
    assertBadRequest(invalid);
  }

  @Test
  void contentAfterTheJsonValue_is400_andStoresNothing() {
    JsonNode body = assertBadRequest(api.post(tenant, "/v1/mandates", Api.mandateBody("agent", null) + " garbage"));
    assertThat(body.get("message").asText()).contains("not valid JSON");
    assertBadRequest(api.post(tenant, "/v1/mandates", Api.mandateBody("agent", null) + " {}"));
    assertNothingStored();

    assertBadRequest(api.post(tenant, "/v1/verify", VERIFY + " xyz"));
    assertThat(
            api.post(tenant, "/access/v1/evaluation", AuthZenIT.permitted() + " ]]").status())
        .isEqualTo(400);
    assertThat(decisionsStored()).isZero();
  }

  @Test
  void repeatedKey_is400() {
    String twice =
        Api.mandateBody("agent", "2001-01-01T00:00:00Z").replace("}\n", ", \"expires_at\": \"2099-01-01T00:00:00Z\"}\n");
    assertThat(twice).contains("2001").contains("2099");
    assertBadRequest(api.post(tenant, "/v1/mandates", twice));
    assertBadRequest(api.post(tenant, "/v1/verify", VERIFY.replace("\"action\"", "\"action\": \"a.b\", \"action\"")));
    assertNothingStored();
    assertThat(decisionsStored()).isZero();
  }

  @Test
  void numberWhereAStringOrEnumIsDue_is400_namingTheField() {
    JsonNode effect =
        assertBadRequest(api.post(tenant, "/v1/mandates", Api.mandateBody("agent", null).replace("\"ALLOW\"", "1")));
    assertThat(effect.at("/details/0/param").asText()).isEqualTo("scope.effect");
    assertThat(effect.at("/details/0/msg").asText()).contains("ALLOW").contains("DENY");

    JsonNode subject =
        assertBadRequest(
            api.post(tenant, "/v1/mandates", Api.mandateBody("agent", null).replace("\"monco:user:max\"", "12")));
    assertThat(subject.at("/details/0/param").asText()).isEqualTo("principal.subject_id");
    assertThat(subject.at("/details/0/msg").asText()).isEqualTo("must be a string");

    JsonNode action =
        assertBadRequest(
            api.post(tenant, "/v1/mandates", Api.mandateBody("agent", null).replace("\"construction.validation.*\"", "true")));
    assertThat(action.at("/details/0/param").asText()).isEqualTo("scope.actions[0]");
    assertNothingStored();

    JsonNode verify =
        assertBadRequest(api.post(tenant, "/v1/verify", VERIFY.replace("\"construction.validation.approve\"", "5")));
    assertThat(verify.at("/details/0/param").asText()).isEqualTo("action");
    assertThat(decisionsStored()).isZero();
  }

  @Test
  void dateTimeBeyondYear9999_is400() {
    JsonNode far =
        assertBadRequest(api.post(tenant, "/v1/mandates", Api.mandateBody("agent", "+300000-01-01T00:00:00Z")));
    assertThat(far.at("/details/0/param").asText()).isEqualTo("expires_at");
    assertThat(far.at("/details/0/msg").asText()).contains("9999");
    String notBefore =
        Api.mandateBody("agent", null)
            .replace("\"constraints\": {", "\"constraints\": {\"not_before\": \"+10000-01-01T00:00:00Z\", ");
    JsonNode constraint = assertBadRequest(api.post(tenant, "/v1/mandates", notBefore));
    assertThat(constraint.toString()).contains("not_before").contains("9999");
    assertNothingStored();
    // the last instant of 9999 is still a date-time
    Api.Response latest = api.post(tenant, "/v1/mandates", Api.mandateBody("agent", "9999-12-31T23:59:59Z"));
    assertThat(latest.status()).as(latest.raw().body()).isEqualTo(201);
  }

  @Test
  void whatTheRegistryCannotKeep_is400_andStoresNothing() {
    String body = Api.mandateBody("agent", null);
    // U+0000 in a string, in a metadata value, in a metadata key; unpaired surrogates
    for (String bad :
        List.of(
            body.replace("monco:user:max", "monco:user:\\u0000max"),
            body.replace("\"T-1\"", "\"T\\u0000\""),
            body.replace("\"ticket\"", "\"tick\\u0000et\""),
            body.replace("\"T-1\"", "\"T\\ud800\""),
            body.replace("\"T-1\"", "\"T\\udc00x\""),
            body.replace("\"T-1\"", "1e999999"))) {
      JsonNode refused = assertBadRequest(api.post(tenant, "/v1/mandates", bad));
      assertThat(refused.at("/details/0/param").asText()).as(bad).isEqualTo("body");
    }
    assertNothingStored();
    assertBadRequest(api.post(tenant, "/v1/verify", VERIFY.replace("monco:agent:a1", "monco:agent:\\u0000")));
    assertThat(decisionsStored()).isZero();

    // an escaped backslash before "u0000" is text, and a surrogate pair is a character: both kept
    Api.Response text = api.post(tenant, "/v1/mandates", body.replace("\"T-1\"", "\"T\\\\u0000 \\ud83d\\ude00\""));
    assertThat(text.status()).as(text.raw().body()).isEqualTo(201);
    assertThat(text.body().at("/metadata/ticket").asText()).isEqualTo("T\\u0000 \ud83d\ude00");
  }

  @Test
  void amountsAreDecimals_notDoubles() {
    // 27 decimal places: as a double this was 1000.0, within a 1000 EUR limit
    JsonNode limit =
        assertBadRequest(
            api.post(tenant, "/v1/mandates", Api.mandateBody("agent", null).replace("\"amount\": 1000", "\"amount\": 1000.00000000000000001")));
    assertThat(limit.toString()).contains("max_amount").contains("decimal");
    assertNothingStored();
    JsonNode context =
        assertBadRequest(
            api.post(
                tenant,
                "/v1/verify",
                VERIFY.replace(
                    "}", ", \"context\": {\"amount\": 1000.000000000000000000000000001, \"currency\": \"EUR\"}}")));
    assertThat(context.at("/details/0/param").asText()).isEqualTo("context.amount");
    assertThat(decisionsStored()).isZero();
  }

  @Test
  void dateTimesAreRfc3339Strings() {
    for (String notRfc3339 : List.of("1893456000", "1893456000.5", "\"1893456000\"", "\"2030-01-01\"", "true")) {
      String body =
          Api.mandateBody("agent", null).replace("\"metadata\"", "\"expires_at\": " + notRfc3339 + ", \"metadata\"");
      JsonNode refused = assertBadRequest(api.post(tenant, "/v1/mandates", body));
      assertThat(refused.at("/details/0/param").asText()).as(notRfc3339).isEqualTo("expires_at");
      assertThat(refused.at("/details/0/msg").asText()).as(notRfc3339).contains("RFC 3339");
    }
    // PostgreSQL keeps microseconds: the last nanoseconds of 9999 would round into year 10000
    assertBadRequest(api.post(tenant, "/v1/mandates", Api.mandateBody("agent", "9999-12-31T23:59:59.999999999Z")));
    String farMfa =
        VERIFY.replace("}", ", \"context\": {\"mfa\": {\"verified\": true, \"verified_at\": \"+10000-01-01T00:00:00Z\"}}}");
    JsonNode mfa = assertBadRequest(api.post(tenant, "/v1/verify", farMfa));
    assertThat(mfa.at("/details/0/param").asText()).isEqualTo("context.mfa.verified_at");
    assertNothingStored();
    assertThat(decisionsStored()).isZero();
  }

  @Test
  void queryParameterGivenTwice_is400() {
    for (String path : List.of("/v1/mandates?limit=1&limit=500", "/v1/mandates?status=SUSPENDED&status=ACTIVE", "/v1/events?limit=5&limit=5")) {
      JsonNode body = assertBadRequest(api.get(tenant, path));
      assertThat(body.at("/details/0/location").asText()).as(path).isEqualTo("query");
    }
    assertThat(api.get(tenant, "/v1/mandates?limit=1&status=ACTIVE").status()).isEqualTo(200);
  }

  @Test
  void unknownQueryParameter_is400_namingIt_andChangesNothing() {
    Api.Response created = api.post(tenant, "/v1/mandates", Api.mandateBody("agent", null));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    // from the write itself: the list follows the read model, which may not have it yet
    String mandateId = created.body().get("mandate_id").asText();
    // a misspelt filter would otherwise answer as if there were none: every status, every type
    Map<String, String> misspelt =
        Map.of(
            "/v1/mandates?stauts=REVOKED", "stauts",
            "/v1/mandates?limit=1&Status=REVOKED", "Status",
            "/v1/events?eventType=MANDATE_REVOKED", "eventType",
            "/v1/mandates/" + mandateId + "/events?event_type=X", "event_type",
            "/v1/mandates/" + mandateId + "?fields=status", "fields",
            "/v1/ledger/head?tenant=other", "tenant",
            "/.well-known/did.json?versionId=1", "versionId");
    misspelt.forEach(
        (path, name) -> {
          JsonNode body = assertBadRequest(api.get(tenant, path));
          assertThat(body.at("/details/0/param").asText()).as(path).isEqualTo(name);
          assertThat(body.at("/details/0/location").asText()).as(path).isEqualTo("query");
          assertThat(body.get("message").asText()).as(path).contains("unknown query parameter " + name);
        });
    assertThat(assertBadRequest(api.get(tenant, "/v1/mandates?stauts=x")).get("message").asText())
        .endsWith("this endpoint takes cursor, limit, status");

    // and a write with one does not happen
    int events = app.storedEvents(tenant.id(), "Mandate");
    assertBadRequest(api.post(tenant, "/v1/mandates?dry_run=true", Api.mandateBody("agent", null)));
    assertBadRequest(api.post(tenant, "/v1/mandates/" + mandateId + "/revoke?force=1", "{\"reason\": \"r\"}"));
    assertThat(app.storedEvents(tenant.id(), "Mandate")).isEqualTo(events);
    MandateLifecycleIT.awaitMandate(tenant, mandateId, "ACTIVE", 0); // as created: not revoked
    assertBadRequest(api.post(tenant, "/v1/verify?pom=sd-jwt-vc&debug=1", VERIFY));
    assertBadRequest(api.post(tenant, "/v1/verify?proof=sd-jwt-vc", VERIFY));
    assertBadRequest(api.post(tenant, "/access/v1/evaluation?trace=1", AuthZenIT.permitted()));
    assertThat(decisionsStored()).isZero();

    // the parameters the endpoints take still work, percent-encoded names too; "?&" names nothing
    assertThat(api.get(tenant, "/v1/mandates?st%61tus=ACTIVE&limit=1").status()).isEqualTo(200);
    assertThat(api.get(tenant, "/v1/mandates?&limit=1&").status()).isEqualTo(200);
    assertThat(api.get(tenant, "/v1/events?event_type=MANDATE_CREATED&limit=1").status()).isEqualTo(200);
    Api.Response verified = api.post(tenant, "/v1/verify?pom=sd-jwt-vc", VERIFY);
    assertThat(verified.status()).as(verified.raw().body()).isEqualTo(200);
    assertThat(decisionsStored()).isEqualTo(1);
    // a credential is still checked first: no key, no hint of what an endpoint takes
    assertThat(api.get(null, "/v1/mandates?stauts=x").status()).isEqualTo(401);
    // the error page called directly is still an unknown route, and an unknown route a 404
    Api.assertError(api.get(tenant, "/error?x=1"), 404, "NOT_FOUND");
    Api.assertError(api.get(tenant, "/v1/nothing-here?x=1"), 404, "NOT_FOUND");
  }

  @Test
  void refusalsBeforeTheApplication_areInTheErrorShape() throws Exception {
    URI base = URI.create(api.base);
    // Tomcat: an encoded slash in the path
    RawResponse slash = RawResponse.send(base, "GET /v1/mandates/a%2Fb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    slash.assertError(400, "VALIDATION_ERROR");
    // Tomcat: headers over the limit
    RawResponse huge =
        RawResponse.send(
            base, "GET /v1/mandates HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
    huge.assertError(400, "VALIDATION_ERROR");
    // Spring Security's firewall: an empty path segment, and a method it does not allow
    RawResponse empty =
        RawResponse.send(
            base, "GET /v1//mandates HTTP/1.1\r\nHost: x\r\nAuthorization: " + tenant.bearer() + "\r\nConnection: close\r\n\r\n");
    empty.assertError(400, "VALIDATION_ERROR");
    RawResponse trace = RawResponse.send(base, "TRACE /v1/mandates HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    trace.assertError(405, "METHOD_NOT_ALLOWED");
    // Tomcat: a method it does not implement; and the request id is echoed even here
    RawResponse connect =
        RawResponse.send(base, "CONNECT /v1/mandates HTTP/1.1\r\nHost: x\r\nX-Request-ID: req-42\r\nConnection: close\r\n\r\n");
    connect.assertError(501, "NOT_IMPLEMENTED");
    assertThat(connect.head()).contains("X-Request-ID: req-42");
    RawResponse slashWithId =
        RawResponse.send(base, "GET /v1/mandates/a%2Fb HTTP/1.1\r\nHost: x\r\nX-Request-ID: req-43\r\nConnection: close\r\n\r\n");
    assertThat(slashWithId.head()).contains("X-Request-ID: req-43");
    // the container's error path, called directly
    Api.Response error = api.get(null, "/error");
    assertThat(error.status()).isEqualTo(404);
    assertThat(error.body().get("code").asText()).isEqualTo("NOT_FOUND");
  }
}
