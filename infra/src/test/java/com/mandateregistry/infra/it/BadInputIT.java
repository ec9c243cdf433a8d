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
    assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
    assertThat(r.body().get("code").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(r.body().get("message").asText()).isNotBlank();
    assertThat(r.body().get("details").isArray()).isTrue();
    return r.body();
  }

  private void assertNothingStored() {
    Integer mandates =
        app.jdbc()
            .queryForObject(
                "SELECT count(*) FROM domain_event_entry WHERE convert_from(meta_data, 'UTF8') LIKE ?"
                    + " AND payload_type LIKE '%Mandate%'",
                Integer.class,
                "%" + tenant.id() + "%");
    assertThat(mandates).isZero();
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
}
