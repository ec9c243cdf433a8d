package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.query.mandate.ReadModelWait;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.junit.jupiter.api.Test;

/**
 * A Proof-of-Mandate takes the mandate's principal and constraints from the read model, which may
 * learn a new mandate after the verification index has: the first proof for such a mandate waits
 * for the read model ({@code mandate-registry.reads.consistency-wait}) instead of a 503. Its own
 * application, with a wait long enough that starting the read model fits in it.
 */
class ProofReadModelWaitIT {

  @Test
  void theFirstProof_forAMandateTheReadModelHasNotYetReceived_waitsForIt() throws Exception {
    TestInfrastructure infra = TestInfrastructure.get();
    try (TestApp app =
        TestApp.start(
            infra.newDatabase(), infra.newTopic(), Map.of("mandate-registry.reads.consistency-wait", "60s"))) {
      TestApp.Tenant tenant = app.newTenant();
      TrackingEventProcessor readModel =
          app.bean(EventProcessingConfiguration.class)
              .eventProcessor("mandate-read-model", TrackingEventProcessor.class)
              .orElseThrow();
      ReadModelWait waits = app.bean(ReadModelWait.class);
      CompletableFuture<Api.Response> proof;
      readModel.shutDown();
      try {
        MandateLifecycleIT.createOn(app, tenant);
        // the index has it: verifications without a proof ALLOW
        await().until(() -> app.api.post(tenant, "/v1/verify", ProofOfMandateIT.PERMITTED),
            r -> r.status() == 200 && r.body().get("decision").asText().equals("ALLOW"));
        assertThat(app.api.get(tenant, "/v1/mandates").body().get("mandates")).as("not in the read model").isEmpty();

        proof = CompletableFuture.supplyAsync(() -> app.api.post(tenant, ProofOfMandateIT.POM, ProofOfMandateIT.PERMITTED));
        await().until(() -> waits.waitingNow() == 1 || proof.isDone());
        assertThat(proof).as("the proof waits for the read model").isNotDone();
      } finally {
        readModel.start();
      }

      Api.Response answered = proof.get(90, TimeUnit.SECONDS);
      assertThat(answered.status()).as(answered.raw().body()).isEqualTo(200);
      JsonNode pom = answered.body().get("proof_of_mandate");
      assertThat(pom.get("credential").asText()).contains("~");
      assertThat(waits.waitingNow()).isZero();
    }
  }
}
