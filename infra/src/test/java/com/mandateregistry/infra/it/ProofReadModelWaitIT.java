package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.query.mandate.ReadModelWait;
import com.mandateregistry.query.verification.index.VerificationIndex;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.Test;

/**
 * A Proof-of-Mandate takes the mandate's principal and constraints from the read model, which may
 * learn a new mandate after the verification index has: the first proof for such a mandate waits
 * for the read model ({@code mandate-registry.reads.consistency-wait}) instead of a 503, holding no
 * rate-limit use or budget while it waits, and then decides afresh. Its own application, with a
 * wait long enough that starting the read model fits in it.
 */
class ProofReadModelWaitIT {

  @Test
  void theFirstProof_forAMandateTheReadModelHasNotYetReceived_waitsForIt_holdingNothing() throws Exception {
    TestInfrastructure infra = TestInfrastructure.get();
    try (TestApp app =
        TestApp.start(
            infra.newDatabase(), infra.newTopic(), Map.of("mandate-registry.reads.consistency-wait", "60s"))) {
      TrackingEventProcessor readModel = app.trackingProcessor("mandate-read-model");
      ReadModelWait waits = app.bean(ReadModelWait.class);
      VerificationIndex index = app.bean(VerificationIndex.class);

      app.awaitVerificationReady();

      // 1. a mandate of one use: while the proof waits, that use is free for another verification,
      //    and the proof, decided afresh, is then a DENY without a proof
      TestApp.Tenant limited = app.newTenant();
      String request = VerificationIT.body("monco:agent:once", "{}");
      CompletableFuture<Api.Response> proof;
      readModel.shutDown();
      try {
        Api.Response created = app.api.post(limited, "/v1/mandates", VerificationIT.mandateBody(
            "monco:agent:once", "ALLOW", "{\"rate_limit\": {\"max_uses\": 1, \"period\": \"P36500D\"}}"));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String id = created.body().get("mandate_id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> index.find(id) != null);

        proof = pendingProof(app, limited, request, waits);
        Api.Response meanwhile = app.api.post(limited, "/v1/verify", request);
        assertThat(meanwhile.body().get("decision").asText()).as(meanwhile.raw().body()).isEqualTo("ALLOW");
        assertThat(proof).as("still waiting for the read model").isNotDone();
      } finally {
        readModel.start();
      }
      JsonNode afresh = proof.get(90, TimeUnit.SECONDS).body();
      assertThat(afresh.get("decision").asText()).as(afresh.toString()).isEqualTo("DENY");
      assertThat(afresh.get("reason_codes")).extracting(JsonNode::asText).containsExactly("RATE_LIMIT_EXCEEDED");
      assertThat(afresh.has("proof_of_mandate")).isFalse();

      // 2. a mandate without limits: the proof waits, then comes with its credential
      TestApp.Tenant tenant = app.newTenant();
      readModel.shutDown();
      try {
        MandateLifecycleIT.createOn(app, tenant);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> app.api.post(tenant, "/v1/verify", ProofOfMandateIT.PERMITTED),
                r -> r.status() == 200 && r.body().get("decision").asText().equals("ALLOW"));
        assertThat(app.api.get(tenant, "/v1/mandates").body().get("mandates")).as("not in the read model").isEmpty();
        proof = pendingProof(app, tenant, ProofOfMandateIT.PERMITTED, waits);
      } finally {
        readModel.start();
      }
      Api.Response answered = proof.get(90, TimeUnit.SECONDS);
      assertThat(answered.status()).as(answered.raw().body()).isEqualTo(200);
      assertThat(answered.body().at("/proof_of_mandate/credential").asText()).contains("~");
      assertThat(waits.waitingNow()).isZero();
    }
  }

  /** Sends a verification with a proof and returns once it waits for the read model. */
  private static CompletableFuture<Api.Response> pendingProof(
      TestApp app, TestApp.Tenant tenant, String request, ReadModelWait waits) {
    CompletableFuture<Api.Response> proof =
        CompletableFuture.supplyAsync(() -> app.api.post(tenant, ProofOfMandateIT.POM, request));
    await().atMost(Duration.ofSeconds(30)).until(() -> waits.waitingNow() == 1 || proof.isDone());
    assertThat(proof).as("the proof waits for the read model").isNotDone();
    return proof;
  }
}
