package com.mandateregistry.infra.it;

import static com.mandateregistry.infra.it.Api.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests an independent probe of the running service sent (2026-12-07) that the service
 * answered wrongly before: each is refused in the error shape and changes nothing, and the
 * pipeline keeps going for every tenant.
 */
class HostileInputIT {

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

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(api.base + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", tenant.bearer());
  }

  private static HttpRequest.BodyPublisher bytes(byte[] body) {
    return HttpRequest.BodyPublishers.ofByteArray(body);
  }

  private void assertNoMandateStored() {
    assertThat(app.storedEvents(tenant.id(), "Mandate")).isZero();
  }

  /**
   * {@code C0 80} is an overlong (ill-formed) UTF-8 form of U+0000, which Jackson decodes. Before,
   * it was acknowledged, and PostgreSQL's refusal of the text stopped the read model for every
   * tenant, for as long as the service ran.
   */
  @Test
  void illFormedUtf8_is400_andTheReadModelKeepsGoing() {
    for (byte[] sequence :
        List.of(new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, new byte[] {(byte) 0xFF})) {
      String body = Api.mandateBody("monco:agent:\u0001", null);
      int at = body.indexOf('\u0001');
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      raw.writeBytes(body.substring(0, at).getBytes(StandardCharsets.UTF_8));
      raw.writeBytes(sequence);
      raw.writeBytes(body.substring(at + 1).getBytes(StandardCharsets.UTF_8));
      Api.Response r =
          api.exchange(
              request("/v1/mandates").header("Content-Type", "application/json").POST(bytes(raw.toByteArray())).build());
      assertThat(assertError(r, 400, "VALIDATION_ERROR").get("message").asText()).contains("UTF-8");
    }
    assertNoMandateStored();
    String id = MandateLifecycleIT.create(tenant);
    MandateLifecycleIT.awaitMandate(tenant, id, "ACTIVE", 0);
  }

  /** Spring fails deep inside on a wildcard media type; it was a 500 with an ERROR logged. */
  @Test
  void aWildcardOrNonUtf8ContentType_is415_or400OnAuthZen_neverA500() {
    String id = MandateLifecycleIT.create(tenant);
    for (String type : List.of("*/*", "application/*", "text/*", "application/json; charset=ISO-8859-1", "x")) {
      for (String path : List.of("/v1/mandates", "/v1/verify", "/v1/mandates/" + id + "/suspend")) {
        Api.Response r =
            api.exchange(
                request(path).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(Api.ALLOWED_VERIFY)).build());
        JsonNode error = assertError(r, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(error.get("details").get(0).get("value").asText()).as("the header as sent").isEqualTo(type);
      }
      Api.Response authZen =
          api.exchange(
              request("/access/v1/evaluation").header("Content-Type", type)
                  .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
      assertError(authZen, 400, "VALIDATION_ERROR");
    }
    assertThat(app.storedEvents(tenant.id(), "Mandate")).as("only the create").isEqualTo(1);
    assertThat(app.storedEvents(tenant.id(), "Suspended")).isZero();
    assertThat(app.storedEvents(tenant.id(), "Verification")).isZero();
  }

  /** A body in a content coding was read as if it had none: gzip as malformed JSON. */
  @Test
  void aContentCoding_is415() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(Api.mandateBody("monco:agent:a1", null).getBytes(StandardCharsets.UTF_8));
    }
    Api.Response r =
        api.exchange(
            request("/v1/mandates").header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(bytes(zipped.toByteArray())).build());
    assertThat(assertError(r, 415, "UNSUPPORTED_MEDIA_TYPE").get("message").asText()).contains("Content-Encoding");
    Api.Response plainLabelledGzip =
        api.exchange(
            request("/v1/mandates").header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(Api.mandateBody("monco:agent:a1", null))).build());
    assertError(plainLabelledGzip, 415, "UNSUPPORTED_MEDIA_TYPE");
    assertNoMandateStored();
  }

  /** Tomcat drops a parameter it cannot decode: the filter, the cursor or the proof was lost. */
  @Test
  void aQueryValueThatIsNotPercentEncodedUtf8_is400_namingIt() throws Exception {
    for (String path :
        List.of("/v1/mandates?status=SUSPENDED%zz", "/v1/events?event_type=MANDATE_CREATED%zz",
            "/v1/mandates?cursor=%%%", "/v1/mandates?status=%C0%80")) {
      JsonNode error = raw("GET", path, null);
      assertThat(error.get("code").asText()).as(path).isEqualTo("VALIDATION_ERROR");
      assertThat(error.get("details").get(0).get("location").asText()).isEqualTo("query");
    }
    MandateLifecycleIT.create(tenant);
    JsonNode proof = raw("POST", "/v1/verify?pom=%zz", Api.ALLOWED_VERIFY);
    assertThat(proof.get("code").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(proof.get("details").get(0).get("param").asText()).isEqualTo("pom");
    assertThat(app.storedEvents(tenant.id(), "Verification")).as("no decision recorded").isZero();
  }

  /**
   * One request over a plain socket (no HTTP client sends a malformed {@code %}), asserting a 400;
   * the error body.
   */
  private JsonNode raw(String method, String path, String body) throws Exception {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    String head =
        method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + tenant.bearer()
            + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length
            + "\r\nConnection: close\r\n\r\n";
    RawResponse answer = RawResponse.send(URI.create(api.base), head, content);
    assertThat(answer.status()).as(path).isEqualTo(400);
    assertThat(answer.head()).doesNotContain("Transfer-Encoding: chunked");
    answer.assertError(400, "VALIDATION_ERROR");
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
  }

  /** Query integers and enums as written: Spring took 0x10, +5 and a fullwidth 5, and trimmed. */
  @Test
  void lenientQueryValues_are400() {
    for (String path :
        List.of("/v1/mandates?limit=0x10", "/v1/mandates?limit=%2B5", "/v1/mandates?limit=%EF%BC%95",
            "/v1/mandates?limit=%205", "/v1/events?limit=0x10", "/v1/mandates?status=SUSPENDED%00",
            "/v1/mandates?status=%20SUSPENDED", "/v1/mandates?status=", "/v1/mandates?limit=")) {
      Api.Response r = api.get(tenant, path);
      assertThat(r.status()).as(path).isEqualTo(400);
      JsonNode error = assertError(r, 400, "VALIDATION_ERROR");
      assertThat(error.get("details").get(0).get("location").asText()).as(path).isEqualTo("query");
    }
    assertThat(api.get(tenant, "/v1/mandates?limit=5&status=ACTIVE").status()).isEqualTo(200);
    assertThat(api.get(tenant, "/v1/mandates?limit=007").status()).as("leading zeros are still decimal").isEqualTo(200);
  }

  /** With two credentials, the first one read decided: a wrong second key passed unnoticed. */
  @Test
  void twoCredentials_are400_andChangeNothing() {
    String wrong = tenant.apiKey().substring(0, tenant.apiKey().lastIndexOf('_') + 1) + "A".repeat(43);
    String body = Api.mandateBody("monco:agent:a1", null);
    List<Map<String, String>> pairs =
        List.of(
            Map.of("Authorization", "Bearer " + tenant.apiKey(), "X-API-Key", wrong),
            Map.of("Authorization", "Basic Zm9vOmJhcg==", "X-API-Key", tenant.apiKey()));
    for (Map<String, String> headers : pairs) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(api.base + "/v1/mandates")).header("Content-Type", "application/json");
      headers.forEach(b::header);
      Api.Response r = api.exchange(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
      assertError(r, 400, "VALIDATION_ERROR");
      assertThat(r.header("WWW-Authenticate")).contains("invalid_request");
    }
    for (String header : List.of("X-API-Key", "Authorization")) {
      String value = header.equals("X-API-Key") ? tenant.apiKey() : "Bearer " + tenant.apiKey();
      String second = header.equals("X-API-Key") ? wrong : "Bearer " + wrong;
      HttpRequest twice =
          HttpRequest.newBuilder(URI.create(api.base + "/v1/mandates")).header("Content-Type", "application/json")
              .header(header, value).header(header, second).POST(HttpRequest.BodyPublishers.ofString(body)).build();
      assertError(api.exchange(twice), 400, "VALIDATION_ERROR");
    }
    assertNoMandateStored();
  }

  /** RFC 9110 §15.5.6: a 405 MUST say which methods the resource does support. */
  @Test
  void aMethodNotAllowed_namesTheAllowedOnes() {
    Api.Response put = api.send(tenant, "PUT", "/v1/mandates", "{}", Map.of());
    assertError(put, 405, "METHOD_NOT_ALLOWED");
    assertThat(put.header("Allow")).contains("GET").contains("POST").doesNotContain("PUT");
    Api.Response get = api.get(tenant, "/v1/verify");
    assertError(get, 405, "METHOD_NOT_ALLOWED");
    assertThat(get.header("Allow")).contains("POST").doesNotContain("GET");
  }

  /**
   * The firewall refuses TRACE and non-standard methods before a handler is looked up; their 405
   * names what the path serves as well (Tomcat's list for TRACE named the servlet's methods, and a
   * method such as FOO had none), a path served by nothing is a 404, and TRACE echoes nothing.
   */
  @Test
  void aMethodTheFirewallRefuses_namesTheAllowedOnes_andTraceEchoesNothing() throws Exception {
    String id = MandateLifecycleIT.create(tenant);
    URI base = URI.create(api.base);
    String headers = "HTTP/1.1\r\nHost: x\r\nAuthorization: " + tenant.bearer() + "\r\nX-Probe: echo-me\r\nConnection: close\r\n\r\n";

    RawResponse trace = RawResponse.send(base, "TRACE /v1/mandates " + headers);
    trace.assertError(405, "METHOD_NOT_ALLOWED");
    assertThat(trace.header("Allow")).isEqualTo("GET,POST");
    assertThat(trace.contentType()).doesNotContain("message/http");
    assertThat(trace.body()).doesNotContain("echo-me").doesNotContain(tenant.apiKey());

    RawResponse verify = RawResponse.send(base, "TRACE /v1/verify " + headers);
    verify.assertError(405, "METHOD_NOT_ALLOWED");
    assertThat(verify.header("Allow")).isEqualTo("POST");

    RawResponse foo = RawResponse.send(base, "FOO /v1/mandates/" + id + " " + headers);
    foo.assertError(405, "METHOD_NOT_ALLOWED");
    assertThat(foo.header("Allow")).isEqualTo("GET");

    RawResponse health = RawResponse.send(base, "TRACE /actuator/health " + headers);
    health.assertError(405, "METHOD_NOT_ALLOWED");
    assertThat(health.header("Allow")).contains("GET").doesNotContain("TRACE");

    RawResponse nowhere = RawResponse.send(base, "TRACE /v1/nothing-here " + headers);
    nowhere.assertError(404, "NOT_FOUND");
    assertThat(nowhere.header("Allow")).isNull();
  }

  /** An unknown path is named as requested: "/v1/mandates/" was reported as "/v1/mandates". */
  @Test
  void anUnknownPath_isNamedAsRequested() {
    Api.Response r = api.get(tenant, "/v1/mandates/");
    assertThat(assertError(r, 404, "NOT_FOUND").get("message").asText()).isEqualTo("no such endpoint: /v1/mandates/");
  }

  /** Strong comparison is character for character: "00" is not the ETag "0". */
  @Test
  void anIfMatchThatIsNotTheEtagCharacterForCharacter_matchesNothing() {
    String id = MandateLifecycleIT.create(tenant);
    Api.Response r = api.send(tenant, "POST", "/v1/mandates/" + id + "/suspend", "{}", Map.of("If-Match", "\"00\""));
    assertError(r, 409, "CONFLICT");
    Api.Response unknown =
        api.send(tenant, "POST", "/v1/mandates/mdt_01JZZZZZZZZZZZZZZZZZZZZZZZ/suspend", "{}", Map.of("If-Match", "\"00\""));
    assertError(unknown, 404, "NOT_FOUND");
    assertThat(app.storedEvents(tenant.id(), "Suspended")).isZero();
    assertThat(api.send(tenant, "POST", "/v1/mandates/" + id + "/suspend", "{}", Map.of("If-Match", "\"0\"")).status())
        .isEqualTo(200);
  }

  /** A blank reason went into the audit trail as it was. */
  @Test
  void aBlankReason_is400() {
    String id = MandateLifecycleIT.create(tenant);
    for (String reason : List.of("", "   ", "\u2003")) {
      Api.Response r = api.post(tenant, "/v1/mandates/" + id + "/revoke", "{\"reason\": \"" + reason + "\"}");
      assertThat(assertError(r, 400, "VALIDATION_ERROR").get("details").get(0).get("param").asText())
          .isEqualTo("reason");
    }
    assertThat(app.storedEvents(tenant.id(), "Revoked")).isZero();
  }

  /**
   * Canonically equivalent spellings were different ids: a DENY on "café" (NFC) did not cover
   * "cafe" plus a combining accent, which got ALLOW. Only NFC is taken, at both ends.
   */
  @Test
  void idsOutsideNfc_are400_soADenyCannotBeSidesteppedByAnotherSpelling() {
    String nfd = "docs/cafe\u0301/**";
    String mandate =
        """
        {"principal": {"type": "natural_person", "subject_id": "monco:user:max"},
         "delegate": {"type": "ai_agent", "subject_id": "%s"},
         "scope": {"actions": ["read"], "resources": ["%s"], "effect": "%s"}}""";
    assertError(api.post(tenant, "/v1/mandates", mandate.formatted("agent:nfc", nfd, "DENY")), 400, "VALIDATION_ERROR");
    assertError(
        api.post(tenant, "/v1/mandates", mandate.formatted("agent:jose\u0301", "docs/**", "ALLOW")), 400, "VALIDATION_ERROR");
    assertNoMandateStored();

    assertThat(api.post(tenant, "/v1/mandates", mandate.formatted("agent:nfc", "docs/**", "ALLOW")).status()).isEqualTo(201);
    assertThat(api.post(tenant, "/v1/mandates", mandate.formatted("agent:nfc", "docs/caf\u00e9/**", "DENY")).status())
        .isEqualTo(201);
    String nfc = "{\"delegate_subject_id\": \"agent:nfc\", \"action\": \"read\", \"resource\": \"docs/caf\u00e9/secret\"}";
    JsonNode denied =
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
            .until(() -> api.post(tenant, "/v1/verify", nfc),
                r -> r.status() == 200 && r.body().get("reason_codes").toString().contains("EXPLICIT_DENY"))
            .body();
    assertThat(denied.get("decision").asText()).isEqualTo("DENY");
    Api.Response otherSpelling =
        api.post(tenant, "/v1/verify", nfc.replace("caf\u00e9", "cafe\u0301"));
    assertThat(assertError(otherSpelling, 400, "VALIDATION_ERROR").get("details").get(0).get("msg").asText())
        .contains("Normalization Form C");
    Api.Response authZen =
        api.post(tenant, "/access/v1/evaluation",
            """
            {"subject": {"type": "agent", "id": "agent:nfc"}, "action": {"name": "read"},
             "resource": {"type": "docs", "id": "cafe\u0301/secret"}}""");
    assertError(authZen, 400, "VALIDATION_ERROR");
  }

  /**
   * White space by one definition (Java's): a pattern or subject id of U+2003 alone was stored,
   * while verification refused the same string, so the mandate could never be used.
   */
  @Test
  void unicodeWhiteSpaceAlone_is400_atCreateAsAtVerify() {
    String[] bodies = {
      VerificationIT.mandateBody("\u2003", "ALLOW", "{}"),
      VerificationIT.mandateBody("agent:ws", "ALLOW", "{}").replace("monco:project:p1/**", "\u3000"),
      VerificationIT.mandateBody("agent:ws", "ALLOW", "{}").replace("monco:user:max", "\u2028"),
    };
    for (String body : bodies) {
      assertError(api.post(tenant, "/v1/mandates", body), 400, "VALIDATION_ERROR");
    }
    assertNoMandateStored();
    Api.Response verify =
        api.post(tenant, "/v1/verify", "{\"delegate_subject_id\": \"agent:ws\", \"action\": \"a\", \"resource\": \"\u2003\"}");
    assertThat(assertError(verify, 400, "VALIDATION_ERROR").get("details").get(0).get("msg").asText())
        .isEqualTo("must not be blank");
  }

  /**
   * A scope pattern of white space alone gets the message docs/verification.md gives it, whatever
   * the white space: a space or a tab got the bean validator's "must not be blank" (it trims only
   * up to U+0020) and U+2003 the grammar's message (review of the docs, 2026-12-07).
   */
  @Test
  void aWhiteSpacePattern_getsTheGrammarsMessage_whateverTheWhiteSpace() {
    String body = VerificationIT.mandateBody("agent:ws", "ALLOW", "{}");
    for (String ws : List.of(" ", "\t", "\u2003")) {
      String json = ws.equals("\t") ? "\\t" : ws;
      JsonNode action = assertError(
          api.post(tenant, "/v1/mandates", body.replace("construction.validation.*", json)), 400, "VALIDATION_ERROR");
      assertThat(action.at("/details/0/param").asText()).isEqualTo("scope.actions[0]");
      assertThat(action.at("/details/0/msg").asText()).as("action %s", action)
          .contains("invalid character U+" + String.format("%04X", (int) ws.charAt(0)) + " in segment 1");
      JsonNode resource = assertError(
          api.post(tenant, "/v1/mandates", body.replace("monco:project:p1/**", json)), 400, "VALIDATION_ERROR");
      assertThat(resource.at("/details/0/param").asText()).isEqualTo("scope.resources[0]");
      assertThat(resource.at("/details/0/msg").asText()).as("resource %s", resource).endsWith("is all white space");
    }
    assertNoMandateStored();
  }

  /**
   * {@code _sd}, {@code _sd_alg} and {@code ...} inside an {@code x_} constraint: accepted, then
   * every Proof-of-Mandate for the mandate was a 500.
   */
  @Test
  void sdJwtReservedNamesInAnExtension_are400() {
    for (String extension : List.of("{\"_sd_alg\": 1}", "[{\"...\": \"z\"}]", "{\"k\": {\"_sd\": [\"abc\"]}}")) {
      Api.Response r =
          api.post(tenant, "/v1/mandates", VerificationIT.mandateBody("agent:sd", "ALLOW", "{\"x_a\": " + extension + "}"));
      assertThat(assertError(r, 400, "VALIDATION_ERROR").get("details").get(0).get("param").asText())
          .startsWith("constraints.x_a");
    }
    assertNoMandateStored();
  }

  /** AuthZEN 1.0: the PDP SHALL echo the request id; a long one was replaced by a UUID. */
  @Test
  void anyRequestId_isEchoedAsSent() {
    String id = "x".repeat(600) + " with spaces, (punctuation) and \"quotes\"";
    HttpRequest r =
        request("/access/v1/evaluation").header("Content-Type", "application/json")
            .header("X-Request-ID", id)
            .POST(HttpRequest.BodyPublishers.ofString(
                """
                {"subject": {"type": "agent", "id": "a"}, "action": {"name": "read"},
                 "resource": {"type": "docs", "id": "x"}}""")).build();
    Api.Response answer =
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
            .until(() -> api.exchange(r), a -> a.status() != 503); // the index may still be building
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("X-Request-ID")).isEqualTo(id);
  }

  /** Jackson's limits and a repeated key used to be "missing or unreadable" or a bare "malformed". */
  @Test
  void jsonLimitsAndRepeatedKeys_areNamed() {
    String deep = "[".repeat(1500) + "]".repeat(1500);
    Api.Response nested =
        api.post(tenant, "/v1/mandates", VerificationIT.mandateBody("agent:deep", "ALLOW", "{}").replace("\"constraints\": {}", "\"metadata\": {\"x\": " + deep + "}"));
    assertThat(assertError(nested, 400, "VALIDATION_ERROR").get("message").asText()).contains("nesting depth");
    Api.Response authZenNested = api.post(tenant, "/access/v1/evaluation", "{\"context\": {\"x\": " + deep + "}}");
    assertThat(assertError(authZenNested, 400, "VALIDATION_ERROR").get("message").asText()).contains("nesting depth");
    // short to send, 1,001 digits as jsonb writes it: the stored mandate could not be read back
    Api.Response tiny =
        api.post(tenant, "/v1/mandates", VerificationIT.mandateBody("agent:tiny", "ALLOW", "{\"x_n\": 1E-1000}"));
    assertThat(assertError(tiny, 400, "VALIDATION_ERROR").get("message").asText()).contains("digits");
    Api.Response repeated = api.post(tenant, "/v1/verify", "{\"action\": \"a\", \"action\": \"b\"}");
    assertThat(assertError(repeated, 400, "VALIDATION_ERROR").get("message").asText()).contains("a key given twice");
    assertNoMandateStored();
  }

  /** RFC 3339 requires seconds and an offset of hours and minutes; Java alone took less and more. */
  @Test
  void dateTimesOutsideRfc3339_are400() {
    for (String at : List.of("2030-01-01T00:00Z", "2030-01-01T00:00:00+05:30:15", "2030-01-01T00:00:00+05")) {
      assertError(api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:t", at)), 400, "VALIDATION_ERROR");
      Api.Response notBefore =
          api.post(tenant, "/v1/mandates",
              VerificationIT.mandateBody("agent:t", "ALLOW", "{\"not_before\": \"" + at + "\"}"));
      assertThat(assertError(notBefore, 400, "VALIDATION_ERROR").get("details").get(0).get("param").asText())
          .isEqualTo("constraints.not_before");
    }
    assertNoMandateStored();
    assertThat(api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:t", "2030-01-01T00:00:00.5+05:30")).status())
        .isEqualTo(201);
  }
}
