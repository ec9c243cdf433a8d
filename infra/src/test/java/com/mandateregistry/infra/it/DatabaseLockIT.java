package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Locks held too long, and a database that does not answer ({@code mandate-registry.database.*}). A
 * request queued behind a lock gets 503 {@code SERVICE_UNAVAILABLE} after the lock timeout instead
 * of waiting for as long as the holder lasts, and nothing of it is stored; a transaction left open
 * by a session that stalled is ended by PostgreSQL after the idle timeout, which frees what it
 * held; a statement PostgreSQL does not answer within the socket timeout fails, and its request
 * answers 503. Here the lock timeout is 1 s, the socket timeout 3 s and the idle timeout 5 s.
 */
class DatabaseLockIT {

  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);

  private static TestApp app;

  @BeforeAll
  static void start() {
    TestInfrastructure infra = TestInfrastructure.get();
    app =
        TestApp.start(
            infra.newDatabase(),
            infra.newTopic(),
            Map.of(
                "mandate-registry.database.lock-timeout", LOCK_TIMEOUT.toMillis() + "ms",
                "mandate-registry.database.idle-in-transaction-timeout", IDLE_TIMEOUT.toMillis() + "ms",
                "mandate-registry.database.socket-timeout", SOCKET_TIMEOUT.toSeconds() + "s"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String show(TestApp on, String setting) {
    return on.jdbc().queryForObject("SHOW " + setting, String.class);
  }

  @Test
  void everyPooledSession_carriesTheTimeouts_andTheDefaultsAreFiveSecondsAndAMinute() {
    assertThat(show(app, "lock_timeout")).isEqualTo("1s");
    assertThat(show(app, "idle_in_transaction_session_timeout")).isEqualTo("5s");
    TestApp defaults = TestApp.shared();
    assertThat(show(defaults, "lock_timeout")).isEqualTo("5s");
    assertThat(show(defaults, "idle_in_transaction_session_timeout")).isEqualTo("1min");
  }

  private static final String VERIFY =
      """
      {"delegate_subject_id": "monco:agent:held", "action": "construction.validation.approve",
       "resource": "monco:project:p1/zone:EG"}
      """;

  @Test
  void aUsageRowHeldByAStalledTransaction_isA503AfterTheLockTimeout_untilPostgresEndsThatSession()
      throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    Api.Response created =
        app.api.post(
            tenant,
            "/v1/mandates",
            VerificationIT.mandateBody(
                "monco:agent:held", "ALLOW", "{\"rate_limit\": {\"max_uses\": 5, \"period\": \"P36500D\"}}"));
    assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
    String id = created.body().get("mandate_id").asText();
    JsonNode first =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> app.api.post(tenant, "/v1/verify", VERIFY), r -> r.status() == 200
                && r.body().get("decision").asText().equals("ALLOW"))
            .body();
    assertThat(first.get("constraints_remaining").get("uses_remaining").asLong()).isEqualTo(4);
    int decisions = app.storedEvents(tenant.id(), "Verification");

    // a node's transaction that took the usage row and then stalled (a pause, a lost network)
    Connection stalled = app.bean(DataSource.class).getConnection();
    try {
      stalled.setAutoCommit(false);
      try (Statement s = stalled.createStatement()) {
        assertThat(s.executeUpdate("UPDATE constraint_usage SET used_count = used_count WHERE mandate_id = '" + id + "'"))
            .isEqualTo(1);
      }
      long stalledAt = System.nanoTime();

      long t0 = System.nanoTime();
      Api.Response held = app.api.post(tenant, "/v1/verify", VERIFY);
      long heldMillis = (System.nanoTime() - t0) / 1_000_000;
      Api.assertError(held, 503, "SERVICE_UNAVAILABLE");
      assertThat(heldMillis)
          .as("waited for the lock timeout (1 s), and answered before the stalled session ended (5 s)")
          .isBetween(LOCK_TIMEOUT.toMillis() - 100, IDLE_TIMEOUT.toMillis() - 500);
      assertThat(app.storedEvents(tenant.id(), "Verification")).as("no decision recorded").isEqualTo(decisions);

      // PostgreSQL ends the stalled session; its transaction rolls back and the row is free
      JsonNode after =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(200))
              .until(() -> app.api.post(tenant, "/v1/verify", VERIFY), r -> r.status() == 200)
              .body();
      long freedAfter = (System.nanoTime() - stalledAt) / 1_000_000;
      assertThat(freedAfter).as("freed by the idle timeout, not before").isGreaterThanOrEqualTo(IDLE_TIMEOUT.toMillis() - 100);
      assertThat(after.get("decision").asText()).isEqualTo("ALLOW");
      assertThat(after.get("constraints_remaining").get("uses_remaining").asLong())
          .as("the 503 consumed no use").isEqualTo(3);

      assertThatThrownBy(stalled::commit)
          .as("the stalled session was ended, so its transaction cannot commit")
          .isInstanceOfSatisfying(
              SQLException.class,
              e -> assertThat(e.getSQLState()).matches("25P03|08.*|57P01"));
    } finally {
      stalled.close();
    }
  }

  @Test
  void aWriteQueuedBehindALock_isA503AfterTheLockTimeout_andNothingOfItIsStored() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    String id = MandateLifecycleIT.createOn(app, tenant);
    MandateLifecycleIT.awaitMandateOn(app, tenant, id, "ACTIVE", 0);
    int events = app.storedEvents(tenant.id(), "Mandate");

    try (Connection blocker = app.bean(DataSource.class).getConnection()) {
      blocker.setAutoCommit(false);
      try (Statement s = blocker.createStatement()) {
        // what a migration or an operator's maintenance may hold: no event can be inserted
        s.execute("LOCK TABLE domain_event_entry IN SHARE ROW EXCLUSIVE MODE");
      }
      long t0 = System.nanoTime();
      Api.Response refused = app.api.post(tenant, "/v1/mandates/" + id + "/suspend", "{\"reason\": \"review\"}");
      long millis = (System.nanoTime() - t0) / 1_000_000;
      Api.assertError(refused, 503, "SERVICE_UNAVAILABLE");
      assertThat(millis).as("after the lock timeout, not the holder's end").isBetween(
          LOCK_TIMEOUT.toMillis() - 100, IDLE_TIMEOUT.toMillis() - 500);
      blocker.rollback();
    }

    assertThat(app.storedEvents(tenant.id(), "Mandate")).as("the refused suspend stored nothing").isEqualTo(events);
    assertThat(app.api.get(tenant, "/v1/mandates/" + id).body().get("version").asLong()).isZero();
    Api.Response suspended = app.api.post(tenant, "/v1/mandates/" + id + "/suspend", "{\"reason\": \"review\"}");
    assertThat(suspended.status()).as(suspended.raw().body()).isEqualTo(200);
    assertThat(suspended.body().get("status").asText()).isEqualTo("SUSPENDED");
  }

  @Test
  void aStatementPostgresDoesNotAnswer_failsAfterTheSocketTimeout_asA503_andStoresNothing() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    int events = app.storedEvents(tenant.id(), "Mandate");
    // this tenant's next event takes PostgreSQL 6 s to store: to the service, a server that has
    // stopped answering
    try (TestApp.SlowInsert slow = app.slowNextEvent(tenant.id(), 6)) {
      long t0 = System.nanoTime();
      Api.Response created = app.api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:unanswered", null));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      Api.assertError(created, 503, "SERVICE_UNAVAILABLE");
      assertThat(millis).as("after the socket timeout (3 s), before PostgreSQL's answer (6 s)")
          .isBetween(SOCKET_TIMEOUT.toMillis() - 100, 6_000L);

      // the abandoned statement ends; its session finds its client gone and rolls back
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> app.jdbc()
          .queryForObject(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%domain_event_entry%'"
                  + " AND state = 'active' AND wait_event = 'PgSleep'",
              Integer.class) == 0);
      assertThat(app.storedEvents(tenant.id(), "Mandate")).as("the refused create stored nothing").isEqualTo(events);
      assertThat(app.api.get(tenant, "/v1/mandates").body().get("mandates")).isEmpty();
    }
    Api.Response again = app.api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:unanswered", null));
    assertThat(again.status()).as(again.raw().body()).isEqualTo(201);
  }
}
