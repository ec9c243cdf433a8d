package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A statement that PostgreSQL works on for longer than {@code
 * mandate-registry.database.statement-timeout} is cancelled by PostgreSQL itself: its request
 * answers 503 without waiting for the statement or the socket timeout, and nothing of it is stored.
 * Migrations run on sessions of their own, without the timeout. Here the timeout is 2 s.
 */
class StatementTimeoutIT {

  private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(2);

  private static TestApp app;

  @BeforeAll
  static void start() {
    TestInfrastructure infra = TestInfrastructure.get();
    app =
        TestApp.start(
            infra.newDatabase(),
            infra.newTopic(),
            Map.of("mandate-registry.database.statement-timeout", STATEMENT_TIMEOUT.toMillis() + "ms"));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String show(DataSource on, String setting) throws Exception {
    try (Connection c = on.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SHOW " + setting)) {
      r.next();
      return r.getString(1);
    }
  }

  @Test
  void everyPooledSession_carriesTheTimeout_thirtySecondsByDefault_andMigrationsRunWithoutIt() throws Exception {
    assertThat(show(app.bean(DataSource.class), "statement_timeout")).isEqualTo("2s");
    assertThat(show(TestApp.shared().bean(DataSource.class), "statement_timeout")).isEqualTo("30s");

    DataSource migrations = app.bean(Flyway.class).getConfiguration().getDataSource();
    assertThat(migrations).as("Flyway is not lent the pool").isNotSameAs(app.bean(DataSource.class));
    assertThat(show(migrations, "statement_timeout")).isEqualTo("0");
    assertThat(show(migrations, "lock_timeout")).as("the other settings hold for migrations").isEqualTo("5s");
    assertThat(show(migrations, "idle_in_transaction_session_timeout")).isEqualTo("1min");
  }

  @Test
  void aStatementThatRunsTooLong_isCancelledByPostgres_asA503_andStoresNothing() throws Exception {
    TestApp.Tenant tenant = app.newTenant();
    int events = app.storedEvents(tenant.id(), "Mandate");
    // this tenant's next event would take PostgreSQL 10 s to store; the socket timeout is 5 min
    try (TestApp.SlowInsert slow = app.slowNextEvent(tenant.id(), 10)) {
      long t0 = System.nanoTime();
      Api.Response created = app.api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:slow", null));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      Api.assertError(created, 503, "SERVICE_UNAVAILABLE");
      assertThat(millis)
          .as("after the statement timeout (2 s), before the statement would have ended (10 s) and before"
              + " a wait for a connection would have given up (5 s)")
          .isBetween(STATEMENT_TIMEOUT.toMillis() - 100, 4_900L);

      // cancelled by PostgreSQL, not abandoned by the driver: no session is still sleeping in it
      assertThat(app.jdbc().queryForObject(
              "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'",
              Integer.class))
          .isZero();
      assertThat(app.storedEvents(tenant.id(), "Mandate")).as("the refused create stored nothing").isEqualTo(events);
      assertThat(app.api.get(tenant, "/v1/mandates").body().get("mandates")).isEmpty();
    }
    Api.Response again = app.api.post(tenant, "/v1/mandates", Api.mandateBody("monco:agent:slow", null));
    assertThat(again.status()).as(again.raw().body()).isEqualTo(201);
  }
}
