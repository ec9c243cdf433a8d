package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.infra.embedded.EmbeddedPostgresServer;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL goes away while the service runs, and comes back. Meanwhile every endpoint that needs
 * it answers 503 {@code SERVICE_UNAVAILABLE} within the pool's connection timeout, never 500, and
 * never 401 for a key that cannot be checked; health is {@code DOWN}. Nothing refused is stored.
 * Once PostgreSQL is back, the same requests work, and the pipeline catches up with no gap.
 */
class DatabaseOutageIT {

  @TempDir Path dir;

  private static final String VERIFY =
      """
      {"delegate_subject_id": "monco:agent:a1", "action": "construction.validation.approve",
       "resource": "monco:project:p1/zone:EG", "context": {"amount": 10, "currency": "EUR"}}
      """;

  private static void assertUnavailable(String what, Supplier<Api.Response> call) {
    long t0 = System.nanoTime();
    Api.Response r = call.get();
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.status()).as(what + ": " + r.raw().body()).isEqualTo(503);
    assertThat(r.body().get("code").asText()).as(what).isEqualTo("SERVICE_UNAVAILABLE");
    assertThat(millis).as(what + " answered within the connection timeout (1 s here) and some").isLessThan(10_000);
  }

  /**
   * With the driver's internal asserts on, a connection closed in the middle of the ledger's JDBC
   * batch is an AssertionError, which stops an Axon processor for good (in production, without
   * -ea, it is an SQLException and the processor retries): the build turns them off for the driver.
   */
  @Test
  void theDriversAssertsAreOff_oursAreOn() throws Exception {
    assertThat(Class.forName("org.postgresql.jdbc.BatchResultHandler").desiredAssertionStatus()).isFalse();
    assertThat(DatabaseOutageIT.class.desiredAssertionStatus()).isTrue();
  }

  @Test
  void whilePostgresIsDown_everyEndpointIs503_andAllWorksAgainOnceItIsBack() throws Exception {
    EmbeddedPostgresServer pg = new EmbeddedPostgresServer(dir, 0);
    int port = pg.port();
    TestInfrastructure infra = TestInfrastructure.get();
    TestApp app =
        TestApp.startOrClose(
            pg,
            pg.jdbcUrl(),
            infra.newTopic(),
            Map.of(
                "spring.datasource.username", pg.username(),
                "spring.datasource.password", pg.password(),
                "spring.datasource.hikari.connection-timeout", "1000"));
    Logger errors = (Logger) LoggerFactory.getLogger("com.mandateregistry.infra.web.ErrorHandling");
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    errors.addAppender(logged);
    try {
      TestApp.Tenant tenant = app.newTenant();
      TestApp.Tenant unseen = app.newTenant(); // its key is never used before the outage: not cached
      String first = MandateLifecycleIT.createOn(app, tenant);
      MandateLifecycleIT.awaitMandateOn(app, tenant, first, "ACTIVE", 0);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> app.api.post(tenant, "/v1/verify", VERIFY).body().path("decision").asText().equals("ALLOW"));

      pg.close();
      // the pool's idle connections point at the stopped server; drop them rather than wait for
      // each to fail its check
      app.bean(HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();

      assertUnavailable("create", () -> app.api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:x", null)));
      assertUnavailable("suspend", () -> app.api.post(tenant, "/v1/mandates/" + first + "/suspend", "{}"));
      assertUnavailable("verify", () -> app.api.post(tenant, "/v1/verify", VERIFY));
      assertUnavailable("get", () -> app.api.get(tenant, "/v1/mandates/" + first));
      assertUnavailable("list", () -> app.api.get(tenant, "/v1/mandates"));
      assertUnavailable("events", () -> app.api.get(tenant, "/v1/events"));
      assertUnavailable("a key not cached", () -> app.api.get(unseen, "/v1/mandates"));
      Api.Response health = app.api.get(null, "/actuator/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.body().get("status").asText()).isEqualTo("DOWN");

      pg = new EmbeddedPostgresServer(dir, port);

      String second =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> app.api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:y", null)),
                  r -> r.status() == 201)
              .body()
              .get("mandate_id")
              .asText();
      MandateLifecycleIT.awaitMandateOn(app, tenant, second, "ACTIVE", 0);
      assertThat(app.api.get(tenant, "/v1/mandates/" + first).body().get("status").asText())
          .as("the suspend refused during the outage did not happen")
          .isEqualTo("ACTIVE");
      JsonNode list = app.api.get(tenant, "/v1/mandates").body().get("mandates");
      assertThat(list).as("the create refused during the outage did not happen").hasSize(2);
      assertThat(app.api.get(unseen, "/v1/mandates").status()).isEqualTo(200);
      assertThat(app.api.post(tenant, "/v1/verify", VERIFY).body().get("decision").asText()).isEqualTo("ALLOW");
      // the trail: every stored event once, in order, with no gap (the pipeline retried, not skipped)
      List<JsonNode> trail =
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () -> AuditTrailIT.allEvents(app, tenant, "/v1/events"),
                  events -> events.size() > 0
                      && events.get(events.size() - 1).get("event_type").asText().equals("VERIFICATION_ALLOWED")
                      && events.stream().filter(e -> e.get("event_type").asText().equals("MANDATE_CREATED")).count() == 2);
      assertThat(trail).extracting(e -> e.get("sequence").asLong())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, trail.size()).boxed().toList());
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> PipelineHealthIT.healthStatus(app).equals("UP"));
      assertThat(logged.list).as("no 500 during the outage").noneMatch(e -> e.getLevel() == Level.ERROR);
    } finally {
      errors.detachAppender(logged);
      app.close();
      pg.close();
    }
  }
}
