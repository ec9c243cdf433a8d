package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.infra.axon.PipelineHealth;
import com.mandateregistry.infra.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka cluster goes away while the service runs, and comes back. Meanwhile writes are
 * acknowledged (they are in PostgreSQL), verifications are still decided and recorded, a revoke
 * acknowledged during the outage is never followed by an ALLOW although the index cannot learn of
 * it, and health says {@code DEGRADED}. Once the broker is back, everything acknowledged reaches
 * the read model, the index and the audit trail, in order and once, and health is {@code UP}.
 */
class KafkaOutageIT {

  @TempDir Path dir;

  private static final String VERIFY =
      """
      {"delegate_subject_id": "monco:agent:a1", "action": "construction.validation.approve",
       "resource": "monco:project:p1/zone:EG", "context": {"amount": 10, "currency": "EUR"}}
      """;

  /** Verifications answered so far: each is one VERIFICATION_* event in the trail. */
  private final AtomicInteger decisions = new AtomicInteger();

  private JsonNode verify(TestApp app, TestApp.Tenant tenant) {
    Api.Response r = app.api.post(tenant, "/v1/verify", VERIFY);
    assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
    decisions.incrementAndGet();
    return r.body();
  }

  @Test
  void whileKafkaIsDown_writesAndDecisionsGoOn_noAllowFollowsARevoke_andAllArrivesOnceItIsBack()
      throws Exception {
    EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, 0);
    int port = broker.port();
    TestInfrastructure infra = TestInfrastructure.get();
    TestApp app =
        TestApp.startOrClose(
            broker,
            infra.newDatabase(),
            infra.newTopic(),
            Map.of(
                "axon.kafka.bootstrap-servers", broker.bootstrapServers(),
                // the publishers give up on a batch after 2 s instead of 10, and retry it
                "mandate-registry.publisher.ack-timeout", "2s"));
    try {
      app.awaitVerificationReady();
      TestApp.Tenant tenant = app.newTenant();
      String first = MandateLifecycleIT.createOn(app, tenant);
      MandateLifecycleIT.awaitMandateOn(app, tenant, first, "ACTIVE", 0);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> verify(app, tenant).get("decision").asText().equals("ALLOW"));

      broker.close();

      // another delegate's mandate, so that the first delegate's decisions depend on the first only
      Api.Response created = app.api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:other", null));
      assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
      String second = created.body().get("mandate_id").asText();
      JsonNode allowed = verify(app, tenant);
      assertThat(allowed.get("decision").asText()).as("decided from the index, recorded in PostgreSQL").isEqualTo("ALLOW");
      Api.Response revoke = app.api.post(tenant, "/v1/mandates/" + first + "/revoke", "{}");
      assertThat(revoke.status()).as(revoke.raw().body()).isEqualTo(200);
      // the index cannot learn of the revoke; the recorder's authoritative check catches it
      for (int i = 0; i < 5; i++) {
        JsonNode denied = verify(app, tenant);
        assertThat(denied.get("decision").asText()).isEqualTo("DENY");
        assertThat(denied.get("reason_codes")).extracting(JsonNode::asText).containsExactly("MANDATE_REVOKED");
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> PipelineHealthIT.healthStatus(app).equals("DEGRADED"));
      // both publishers fail, each when its own acknowledgement wait runs out: DEGRADED can come
      // with the first before the second
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(app.bean(PipelineHealth.class).problems()).containsKey("changes-publisher"));

      broker = new EmbeddedKafkaBroker(dir, port);

      MandateLifecycleIT.awaitMandateOn(app, tenant, second, "ACTIVE", 0);
      MandateLifecycleIT.awaitMandateOn(app, tenant, first, "REVOKED", 1);
      // registered, key issued, two creates, a revoke, and every decision: once each, in order
      int expected = 5 + decisions.get();
      List<JsonNode> trail = AuditTrailIT.awaitEvents(app, tenant, expected);
      assertThat(trail).hasSize(expected);
      assertThat(trail).extracting(e -> e.get("sequence").asLong())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, expected).boxed().toList());
      List<String> types = trail.stream().map(e -> e.get("event_type").asText()).toList();
      assertThat(types.subList(0, 3)).containsExactly("TENANT_REGISTERED", "API_KEY_ISSUED", "MANDATE_CREATED");
      assertThat(types.subList(types.size() - 8, types.size()))
          .as("the second create, the ALLOW during the outage, the revoke and the five DENYs after it")
          .containsExactly(
              "MANDATE_CREATED", "VERIFICATION_ALLOWED", "MANDATE_REVOKED",
              "VERIFICATION_DENIED", "VERIFICATION_DENIED", "VERIFICATION_DENIED",
              "VERIFICATION_DENIED", "VERIFICATION_DENIED");
      assertThat(types.subList(3, types.size() - 8)).as("the decisions before the outage")
          .allMatch(t -> t.startsWith("VERIFICATION_")).endsWith("VERIFICATION_ALLOWED");
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> PipelineHealthIT.healthStatus(app).equals("UP"));
      // the index has the revoke now too: the DENY no longer needs the recorder's check
      assertThat(verify(app, tenant).get("reason_codes")).extracting(JsonNode::asText)
          .containsExactly("MANDATE_REVOKED");
    } finally {
      app.close();
      broker.close();
    }
  }
}
