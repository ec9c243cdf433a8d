package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.api.mandate.MandateLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A mandate's parts have limits of their own ({@link MandateLimits}), so that no request, however
 * large {@code max-body-size} is set, can store an event the Kafka topics refuse: such an event
 * would stop the publishers, and with them the read model, the index and the audit trail of every
 * tenant. Here {@code max-body-size} is at its largest, 16 MB.
 */
class LargeMandateIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestApp app;

  @BeforeAll
  static void start() {
    TestInfrastructure infra = TestInfrastructure.get();
    app = TestApp.start(infra.newDatabase(), infra.newTopic(), Map.of("mandate-registry.max-body-size", "16MB"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** A valid mandate body with {@code constraints} and {@code metadata} replaced. */
  private static ObjectNode body(ObjectNode constraints, ObjectNode metadata) throws Exception {
    ObjectNode body = (ObjectNode) JSON.readTree(Api.mandateBody("monco:agent:large", null));
    body.set("constraints", constraints);
    body.set("metadata", metadata);
    return body;
  }

  /** {@code {"<key>": "<filler>"}} of exactly {@code bytes} bytes as compact UTF-8 JSON. */
  private static ObjectNode objectOfBytes(String key, int bytes) throws Exception {
    ObjectNode object = JSON.createObjectNode();
    // 8 bytes of punctuation and key; the rest a string of '€' (3 bytes) and 'x' to make it exact
    int fill = bytes - ("{\"" + key + "\":\"\"}").length();
    object.put(key, "€".repeat(fill / 3) + "x".repeat(fill % 3));
    assertThat(JSON.writeValueAsBytes(object)).hasSize(bytes);
    return object;
  }

  private static ObjectNode constraintsOfBytes(int bytes) throws Exception {
    return objectOfBytes("x_note", bytes); // an x_ key is kept and ignored by the constraints
  }

  private static Api.Response create(TestApp.Tenant tenant, ObjectNode body) throws Exception {
    return app.api.post(tenant, "/v1/mandates", JSON.writeValueAsString(body));
  }

  /** {@code {"d": {"d": … {"d": 1}}}}: an object {@code levels} levels deep. */
  private static ObjectNode nested(String key, int levels) {
    ObjectNode inner = JSON.createObjectNode().put(key, 1);
    for (int i = 1; i < levels; i++) {
      inner = (ObjectNode) JSON.createObjectNode().set(key, inner);
    }
    return inner;
  }

  /**
   * Metadata or constraints nested deeper than {@link MandateLimits#JSON_DEPTH} levels are a 400.
   * Before, anything Jackson reads (1,000 levels) was taken, and the audit entry, a few levels
   * deeper, could then not be read back: the tenant's export stopped at it, `GET /v1/events` was a
   * 500 for its page, and the reference verifier refused a genuine entry.
   */
  @Test
  void metadataOrConstraintsNestedTooDeep_are400_andStoreNothing_atTheLimitTheyAreTaken() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    for (var refused :
        List.of(
            Map.entry("metadata", body(JSON.createObjectNode(), nested("d", MandateLimits.JSON_DEPTH + 1))),
            Map.entry("metadata", body(JSON.createObjectNode(), nested("d", 998))),
            Map.entry("constraints", body(nested("x_d", MandateLimits.JSON_DEPTH + 1), JSON.createObjectNode())))) {
      Api.Response r = create(tenant, refused.getValue());
      assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
      JsonNode detail = r.body().get("details").get(0);
      assertThat(detail.get("param").asText()).isEqualTo(refused.getKey());
      assertThat(detail.get("msg").asText()).isEqualTo("must not be nested more than 32 levels deep");
    }
    assertThat(app.storedEvents(tenant.id(), "Mandate")).isZero();

    Api.Response atLimit = create(tenant, body(nested("x_d", MandateLimits.JSON_DEPTH), nested("d", MandateLimits.JSON_DEPTH)));
    assertThat(atLimit.status()).as(atLimit.raw().body()).isEqualTo(201);
  }

  @Test
  void metadataOrConstraintsOverTheirLimit_are400_andStoreNothing() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    ObjectNode constraints = JSON.createObjectNode();
    ObjectNode hugeMetadata = JSON.createObjectNode().put("blob", "x".repeat(2_000_000));

    for (var refused :
        List.of(
            Map.entry("metadata", body(constraints, hugeMetadata)),
            Map.entry("metadata", body(constraints, objectOfBytes("ticket", MandateLimits.JSON_BYTES + 1))),
            Map.entry("constraints", body(constraintsOfBytes(MandateLimits.JSON_BYTES + 1), JSON.createObjectNode())))) {
      Api.Response r = create(tenant, refused.getValue());
      assertThat(r.status()).as(r.raw().body()).isEqualTo(400);
      assertThat(r.body().get("code").asText()).isEqualTo("VALIDATION_ERROR");
      JsonNode detail = r.body().get("details").get(0);
      assertThat(detail.get("param").asText()).isEqualTo(refused.getKey());
      assertThat(detail.get("location").asText()).isEqualTo("body");
      assertThat(detail.get("msg").asText()).startsWith("must be at most 16384 bytes as compact UTF-8 JSON, is ");
      assertThat(detail.get("value").asText()).as("an excerpt, not the value").hasSizeLessThan(40);
      assertThat(r.raw().body().length()).as("the error does not echo the body").isLessThan(2_000);
    }
    assertThat(app.storedEvents(tenant.id(), "Mandate")).isZero();

    // at the limit exactly, both are taken
    Api.Response atLimit =
        create(tenant, body(constraintsOfBytes(MandateLimits.JSON_BYTES), objectOfBytes("ticket", MandateLimits.JSON_BYTES)));
    assertThat(atLimit.status()).as(atLimit.raw().body()).isEqualTo(201);
  }

  @Test
  void theLargestMandate_isPublished_andReachesTheReadModelAndTheTrail() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    ObjectNode body =
        body(constraintsOfBytes(MandateLimits.JSON_BYTES), objectOfBytes("ticket", MandateLimits.JSON_BYTES));
    // every string at its longest, in characters that take the most bytes: '€' is 3 bytes in
    // UTF-8, '"' is 2 once escaped
    String subjectId = "€".repeat(MandateLimits.SUBJECT_ID_LENGTH);
    body.set("principal", JSON.createObjectNode().put("type", "p".repeat(MandateLimits.SUBJECT_TYPE_LENGTH)).put("subject_id", subjectId));
    body.set("delegate", JSON.createObjectNode().put("type", "d".repeat(MandateLimits.SUBJECT_TYPE_LENGTH)).put("subject_id", subjectId));
    ArrayNode actions = JSON.createArrayNode();
    ArrayNode resources = JSON.createArrayNode();
    for (int i = 0; i < MandateLimits.ACTIONS; i++) {
      String action = String.format("a%03d.", i);
      actions.add(action + "b".repeat(MandateLimits.ACTION_LENGTH - action.length()));
    }
    for (int i = 0; i < MandateLimits.RESOURCES; i++) {
      // two segments of up to 256 characters: "NNN€€€…/\"€€€…"
      String first = String.format("%03d", i) + "€".repeat(252);
      String second = "\"" + "€".repeat(MandateLimits.RESOURCE_LENGTH - first.length() - 2);
      resources.add(first + "/" + second);
    }
    ((ObjectNode) body.get("scope")).set("actions", actions);
    ((ObjectNode) body.get("scope")).set("resources", resources);

    Api.Response r = create(tenant, body);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    String id = r.body().get("mandate_id").asText();

    int payloadBytes =
        app.jdbc()
            .queryForObject(
                "SELECT octet_length(payload) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Integer.class,
                id);
    assertThat(payloadBytes)
        .as("the largest MANDATE_CREATED stays below half of a Kafka record's default 1 MiB")
        .isBetween(200_000, 512 * 1024);

    JsonNode stored = MandateLifecycleIT.awaitMandateOn(app, tenant, id, "ACTIVE", 0);
    assertThat(stored.get("scope").get("resources").get(99).asText()).isEqualTo(resources.get(99).asText());
    assertThat(stored.get("metadata")).isEqualTo(body.get("metadata"));
    List<JsonNode> trail = AuditTrailIT.awaitEvents(app, tenant, 3); // registered, key issued, created
    assertThat(trail).anySatisfy(e -> assertThat(e.get("event_type").asText()).isEqualTo("MANDATE_CREATED"));

    // and the pipeline goes on: the next mandate of another tenant arrives too
    TestApp.Tenant other = app.newTenant();
    String next = MandateLifecycleIT.createOn(app, other);
    MandateLifecycleIT.awaitMandateOn(app, other, next, "ACTIVE", 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> PipelineHealthIT.healthStatus(app).equals("UP"));
  }
}
