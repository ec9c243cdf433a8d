package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mandateregistry.infra.axon.PipelineHealth;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /actuator/health} says when the pipeline behind the API stops advancing: a projection
 * that keeps failing makes it {@code DEGRADED} (still 200, only the status shown), and it is
 * {@code UP} again once the projection has caught up. (The ledger waiting for its signer:
 * {@link LedgerReliabilityIT}.)
 */
class PipelineHealthIT {

  private static TestApp app;

  @BeforeAll
  static void start() {
    TestInfrastructure infra = TestInfrastructure.get();
    app = TestApp.start(infra.newDatabase(), infra.newTopic(), Map.of());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** The public endpoint's status: 200 for UP and DEGRADED, with no details either way. */
  static String healthStatus(TestApp target) {
    Api.Response health = target.api.get(null, "/actuator/health");
    assertThat(health.status()).as(health.raw().body()).isEqualTo(200);
    assertThat(health.body().has("components")).isFalse();
    assertThat(health.body().has("details")).isFalse();
    return health.body().get("status").asText();
  }

  @Test
  void aProjectionThatKeepsFailing_degradesHealth_untilItHasCaughtUp() {
    TestApp.Tenant tenant = app.newTenant();
    await().atMost(Duration.ofSeconds(30)).until(() -> healthStatus(app).equals("UP"));

    // the read model's table is gone: its processor fails on the next mandate, and retries it
    app.jdbc().execute("ALTER TABLE mandate_view RENAME TO mandate_view_away");
    String id;
    try {
      id = MandateLifecycleIT.createOn(app, tenant); // the write itself is acknowledged
      await().atMost(Duration.ofSeconds(30)).until(() -> healthStatus(app).equals("DEGRADED"));
      assertThat(app.bean(PipelineHealth.class).problems())
          .containsOnlyKeys("mandate-read-model")
          .hasEntrySatisfying("mandate-read-model", problem -> assertThat(problem).startsWith("retrying after "));
      assertThat(app.jdbc().queryForObject(
              "SELECT count(*) FROM mandate_view_away WHERE mandate_id = ?", Integer.class, id))
          .as("not in the read model").isZero();
    } finally {
      app.jdbc().execute("ALTER TABLE mandate_view_away RENAME TO mandate_view");
    }

    // Axon's back-off doubles from 1 s: the retry after the repair stores the mandate
    MandateLifecycleIT.awaitMandateOn(app, tenant, id, "ACTIVE", 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> healthStatus(app).equals("UP"));
    assertThat(app.bean(PipelineHealth.class).problems()).isEmpty();
  }
}
