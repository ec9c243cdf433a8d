package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mandateregistry.query.verification.BudgetWindow;
import com.mandateregistry.query.verification.Consumption;
import com.mandateregistry.query.verification.RateWindow;
import com.mandateregistry.query.verification.UsageCounter;
import com.mandateregistry.query.verification.UsageCounterContractTest;
import com.mandateregistry.query.verification.UsageRefusal;
import com.mandateregistry.query.verification.usage.PostgresUsageCounter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The {@link UsageCounter} contract (consume all or nothing, atomically, and give back) run against
 * the production counter on PostgreSQL: the service's own bean, on the shared test application's
 * database, with the contract's two mandates' rows removed before each test. And one interleaving
 * the contract's concurrent runs only hit by chance: a give-back that lands while a refusal is
 * being reported.
 */
class PostgresUsageCounterIT extends UsageCounterContractTest {

  @Override
  protected UsageCounter newCounter() {
    TestApp app = TestApp.shared();
    app.jdbc().update("DELETE FROM constraint_usage WHERE mandate_id IN (?, ?)", MANDATE, OTHER);
    return app.bean(UsageCounter.class);
  }

  @Test
  void budgetRefusal_staysABudgetRefusal_whenTheBudgetIsGivenBackAsItIsReported() throws Exception {
    Instant start = Instant.parse("2025-03-03T10:00:00Z");
    RateWindow rate = new RateWindow(start, start.plusSeconds(3600), 100);
    BudgetWindow budget =
        new BudgetWindow(start, start.plusSeconds(3600), new BigDecimal("10"), new BigDecimal("10"), "EUR");
    UsageCounter shared = newCounter();
    assertThat(shared.tryConsume(MANDATE, rate, budget).consumed()).isTrue();

    Consumption refused = refusedWhileGivenBack(shared, rate, budget);

    assertThat(refused.consumed()).isFalse();
    assertThat(refused.refusals()).containsExactly(UsageRefusal.BUDGET_EXHAUSTED);
    assertThat(refused.budgetRemaining()).isEqualByComparingTo("0");
    assertThat(refused.usesRemaining()).isEqualTo(99);
    // the give-back landed after the refusal, and the refusal consumed nothing: the one use and
    // the whole budget are free again
    Consumption after = shared.tryConsume(MANDATE, rate, budget);
    assertThat(after.consumed()).isTrue();
    assertThat(after.usesRemaining()).isEqualTo(99);
    assertThat(after.budgetRemaining()).isEqualByComparingTo("0");
  }

  /**
   * A budget alone, refused by a window that holds a row: the refusing upsert locks that row, so a
   * give-back of the whole budget, landing as the refusal reads what remains, waits for it, and the
   * refusal reports nothing left (read after a give-back, it would say the whole budget is left).
   */
  @Test
  void budgetRefusal_reportsWhatRefused_theRowHeldAgainstAGiveBack() throws Exception {
    Instant start = Instant.parse("2025-03-03T10:00:00Z");
    BudgetWindow budget =
        new BudgetWindow(start, start.plusSeconds(3600), new BigDecimal("10"), new BigDecimal("10"), "EUR");
    UsageCounter shared = newCounter();
    assertThat(shared.tryConsume(MANDATE, null, budget).consumed()).isTrue();

    Consumption refused = refusedWhileGivenBack(shared, null, budget);

    assertThat(refused.refusals()).containsExactly(UsageRefusal.BUDGET_EXHAUSTED);
    assertThat(refused.budgetRemaining()).as("what remained when it refused").isEqualByComparingTo("0");
    assertThat(shared.tryConsume(MANDATE, null, budget).consumed()).as("the give-back landed after").isTrue();
  }

  /**
   * What a counter of its own answers to {@code tryConsume(MANDATE, rate, budget)} when, just
   * before it reads what refused, another request gives the same consumption back through {@code
   * shared}: the read waits until that give-back has either committed or is waiting for a lock
   * that the refusing transaction holds. Asserts that the read happened and that the give-back
   * ended afterwards.
   */
  private static Consumption refusedWhileGivenBack(UsageCounter shared, RateWindow rate, BudgetWindow budget)
      throws Exception {
    TestApp app = TestApp.shared();
    ExecutorService giver = Executors.newSingleThreadExecutor();
    try {
      Future<?>[] giveBack = new Future<?>[1];
      JdbcTemplate reads =
          new JdbcTemplate(app.bean(DataSource.class)) {
            @Override
            public <T> List<T> queryForList(String sql, Class<T> type, Object... args) {
              if (sql.startsWith("SELECT used_amount") && giveBack[0] == null) {
                giveBack[0] = giver.submit(() -> shared.release(MANDATE, rate, budget));
                await()
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> giveBack[0].isDone() || giveBackWaitsForALock(app));
              }
              return super.queryForList(sql, type, args);
            }
          };
      Consumption refused =
          new PostgresUsageCounter(reads, app.bean(PlatformTransactionManager.class)).tryConsume(MANDATE, rate, budget);
      assertThat(giveBack[0]).as("the refusal read what refused").isNotNull();
      giveBack[0].get(10, TimeUnit.SECONDS);
      return refused;
    } finally {
      giver.shutdownNow();
    }
  }

  private static boolean giveBackWaitsForALock(TestApp app) {
    Integer waiting =
        app.jdbc()
            .queryForObject(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE 'UPDATE constraint_usage%'",
                Integer.class);
    return waiting != null && waiting > 0;
  }
}
