package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.api.web.ConsistencyTokens;
import com.mandateregistry.query.verification.index.VerificationIndex;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code mandate-registry.verification.ended-retention} end to end, at 0: the index forgets a
 * mandate as soon as it is revoked, so a verification it covered finds no mandate, and the rest of
 * the delegate's mandates still decide. (With the default, 30 days, {@code VerificationIT} sees
 * {@code MANDATE_REVOKED} after a revoke.)
 */
class IndexRetentionIT {

  private static final String VERIFY =
      """
      {"delegate_subject_id": "monco:agent:kept", "action": "construction.validation.approve",
       "resource": "monco:project:p1/zone:EG"}
      """;

  @Test
  void withARetentionOfZero_aRevokedMandateIsForgotten_andItsVerificationsFindNoMandate() throws Exception {
    TestInfrastructure infra = TestInfrastructure.get();
    try (TestApp app =
        TestApp.start(
            infra.newDatabase(), infra.newTopic(), Map.of("mandate-registry.verification.ended-retention", "0"))) {
      TestApp.Tenant tenant = app.newTenant();
      VerificationIndex index = app.bean(VerificationIndex.class);
      String revoked = create(app, tenant, "monco:agent:kept", "ALLOW");
      String other = create(app, tenant, "monco:agent:other", "ALLOW");
      JsonNode allowed =
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
              .until(() -> app.api.post(tenant, "/v1/verify", VERIFY), r -> r.status() == 200
                  && r.body().get("decision").asText().equals("ALLOW"))
              .body();
      assertThat(allowed.get("mandate_id").asText()).isEqualTo(revoked);
      await().atMost(Duration.ofSeconds(30)).until(() -> index.find(other) != null);
      int before = index.size();

      Api.Response revoke = app.api.post(tenant, "/v1/mandates/" + revoked + "/revoke", "{\"reason\": \"done\"}");
      assertThat(revoke.status()).as(revoke.raw().body()).isEqualTo(200);
      String revokeToken = revoke.header(ConsistencyTokens.HEADER);

      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> index.find(revoked) == null);
      assertThat(index.size()).isEqualTo(before - 1);
      assertThat(index.endedKept()).isZero();
      JsonNode denied = app.api.post(tenant, "/v1/verify", VERIFY).body();
      assertThat(denied.get("decision").asText()).isEqualTo("DENY");
      assertThat(denied.get("reason_codes")).extracting(JsonNode::asText).containsExactly("NO_MATCHING_MANDATE");
      assertThat(index.find(other)).as("the other delegate's mandate stays").isNotNull();

      // the revoke's consistency token names a mandate the index has forgotten: nothing to wait
      // for (an ended mandate grants and denies nothing), so it is answered at once, not a 503
      // after the whole consistency-wait (the index will never hold it again)
      Api.Response withToken =
          app.api.send(tenant, "POST", "/v1/verify", VERIFY, Map.of(ConsistencyTokens.HEADER, revokeToken));
      assertThat(withToken.status()).as(withToken.raw().body()).isEqualTo(200);
      assertThat(withToken.body().get("reason_codes")).extracting(JsonNode::asText)
          .containsExactly("NO_MATCHING_MANDATE");
    }
  }

  private static String create(TestApp app, TestApp.Tenant tenant, String delegate, String effect) {
    Api.Response r = app.api.post(tenant, "/v1/mandates", VerificationIT.mandateBody(delegate, effect, "{}"));
    assertThat(r.status()).as(r.raw().body()).isEqualTo(201);
    return r.body().get("mandate_id").asText();
  }
}
