package com.mandateregistry.query.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link UsageCounter}, run by every implementation: extend it and supply a fresh,
 * empty counter. All or nothing per mandate, keyed by window, every refusal reported, atomic
 * under concurrency. Public, with public test methods, so that an implementation's test in
 * another package (for example the PostgreSQL counter's integration test) can extend it.
 */
public abstract class UsageCounterContractTest {

  /** The mandates the contract consumes for; an implementation on shared storage clears them. */
  protected static final String MANDATE = "mdt_01JN8GN2HRWRK6EFBRPT0001";

  protected static final String OTHER = "mdt_01JN8GN2HRWRK6EFBRPT0002";
  private static final Instant W1 = Instant.parse("2025-03-03T10:00:00Z");
  private static final Instant W2 = Instant.parse("2025-03-03T11:00:00Z");
  private static final Instant W3 = Instant.parse("2025-03-03T12:00:00Z");

  private UsageCounter counter;

  /** A new counter with nothing consumed. */
  protected abstract UsageCounter newCounter();

  @BeforeEach
  public void freshCounter() {
    counter = newCounter();
  }

  private static RateWindow rate(Instant start, long maxUses) {
    return new RateWindow(start, start.plusSeconds(3600), maxUses);
  }

  private static BudgetWindow budget(Instant start, String limit, String amount) {
    return new BudgetWindow(start, start.plusSeconds(3600), new BigDecimal(limit), new BigDecimal(amount), "EUR");
  }

  @Test
  public void firstUse_isConsumed_reportingTheUsesLeft() {
    Consumption c = counter.tryConsume(MANDATE, rate(W1, 3), null);
    assertThat(c.consumed()).isTrue();
    assertThat(c.refusals()).isEmpty();
    assertThat(c.usesRemaining()).isEqualTo(2);
    assertThat(c.budgetRemaining()).isNull();
  }

  @Test
  public void useBeyondMaxUses_isRefused_withNoneLeft() {
    counter.tryConsume(MANDATE, rate(W1, 2), null);
    counter.tryConsume(MANDATE, rate(W1, 2), null);
    Consumption c = counter.tryConsume(MANDATE, rate(W1, 2), null);
    assertThat(c.consumed()).isFalse();
    assertThat(c.refusals()).containsExactly(UsageRefusal.RATE_LIMIT_EXCEEDED);
    assertThat(c.usesRemaining()).isZero();
  }

  @Test
  public void newWindow_startsFromZero() {
    counter.tryConsume(MANDATE, rate(W1, 1), null);
    Consumption c = counter.tryConsume(MANDATE, rate(W2, 1), null);
    assertThat(c.consumed()).isTrue();
    assertThat(c.usesRemaining()).isZero();
  }

  @Test
  public void otherMandate_hasItsOwnCount() {
    counter.tryConsume(MANDATE, rate(W1, 1), null);
    assertThat(counter.tryConsume(OTHER, rate(W1, 1), null).consumed()).isTrue();
  }

  @Test
  public void budget_consumesTheAmount_reportingWhatIsLeft() {
    Consumption c = counter.tryConsume(MANDATE, null, budget(W1, "100", "30.5"));
    assertThat(c.consumed()).isTrue();
    assertThat(c.budgetRemaining()).isEqualByComparingTo("69.5");
    assertThat(c.usesRemaining()).isNull();
  }

  @Test
  public void budget_exactFit_isConsumed() {
    counter.tryConsume(MANDATE, null, budget(W1, "100", "60"));
    Consumption c = counter.tryConsume(MANDATE, null, budget(W1, "100", "40"));
    assertThat(c.consumed()).isTrue();
    assertThat(c.budgetRemaining()).isEqualByComparingTo("0");
  }

  @Test
  public void budget_amountThatDoesNotFit_isRefused_reportingWhatIsLeftBefore() {
    counter.tryConsume(MANDATE, null, budget(W1, "100", "60"));
    Consumption c = counter.tryConsume(MANDATE, null, budget(W1, "100", "40.000001"));
    assertThat(c.consumed()).isFalse();
    assertThat(c.refusals()).containsExactly(UsageRefusal.BUDGET_EXHAUSTED);
    assertThat(c.budgetRemaining()).isEqualByComparingTo("40");
  }

  @Test
  public void budget_amountAboveTheWholeLimit_isRefusedOnTheFirstUse() {
    Consumption c = counter.tryConsume(MANDATE, null, budget(W1, "100", "100.01"));
    assertThat(c.refusals()).containsExactly(UsageRefusal.BUDGET_EXHAUSTED);
    assertThat(c.budgetRemaining()).isEqualByComparingTo("100");
  }

  @Test
  public void budget_zeroAmount_alwaysFits() {
    counter.tryConsume(MANDATE, null, budget(W1, "10", "10"));
    assertThat(counter.tryConsume(MANDATE, null, budget(W1, "10", "0")).consumed()).isTrue();
  }

  @Test
  public void budget_lifetimeWindow_keepsAccumulating() {
    BudgetWindow lifetime =
        new BudgetWindow(Instant.EPOCH, null, new BigDecimal("10"), new BigDecimal("6"), "EUR");
    counter.tryConsume(MANDATE, null, lifetime);
    assertThat(counter.tryConsume(MANDATE, null, lifetime).refusals())
        .containsExactly(UsageRefusal.BUDGET_EXHAUSTED);
  }

  @Test
  public void budgetRefusal_consumesNoUse() {
    counter.tryConsume(MANDATE, null, budget(W1, "10", "10"));
    Consumption refused = counter.tryConsume(MANDATE, rate(W1, 5), budget(W1, "10", "1"));
    assertThat(refused.refusals()).containsExactly(UsageRefusal.BUDGET_EXHAUSTED);
    assertThat(refused.usesRemaining()).isEqualTo(5);
    assertThat(counter.tryConsume(MANDATE, rate(W1, 5), null).usesRemaining()).isEqualTo(4);
  }

  @Test
  public void rateRefusal_consumesNoBudget() {
    counter.tryConsume(MANDATE, rate(W1, 1), null);
    Consumption refused = counter.tryConsume(MANDATE, rate(W1, 1), budget(W1, "10", "4"));
    assertThat(refused.refusals()).containsExactly(UsageRefusal.RATE_LIMIT_EXCEEDED);
    assertThat(refused.budgetRemaining()).isEqualByComparingTo("10");
    assertThat(counter.tryConsume(MANDATE, null, budget(W1, "10", "10")).consumed()).isTrue();
  }

  @Test
  public void bothExhausted_reportsBoth_rateFirst() {
    counter.tryConsume(MANDATE, rate(W1, 1), budget(W1, "10", "10"));
    Consumption c = counter.tryConsume(MANDATE, rate(W1, 1), budget(W1, "10", "1"));
    assertThat(c.refusals())
        .containsExactly(UsageRefusal.RATE_LIMIT_EXCEEDED, UsageRefusal.BUDGET_EXHAUSTED);
  }

  @Test
  public void rateAndBudget_consumedTogether_reportBoth() {
    Consumption c = counter.tryConsume(MANDATE, rate(W3, 3), budget(W3, "10", "4"));
    assertThat(c.consumed()).isTrue();
    assertThat(c.usesRemaining()).isEqualTo(2);
    assertThat(c.budgetRemaining()).isEqualByComparingTo("6");
  }

  @Test
  public void concurrentUses_neverExceedMaxUses() throws Exception {
    List<Consumption> results = concurrently(50, () -> counter.tryConsume(MANDATE, rate(W1, 10), null));
    assertThat(results).filteredOn(Consumption::consumed).hasSize(10);
    assertThat(results)
        .filteredOn(c -> !c.consumed())
        .hasSize(40)
        .allSatisfy(c -> assertThat(c.refusals()).containsExactly(UsageRefusal.RATE_LIMIT_EXCEEDED));
    assertThat(results)
        .filteredOn(Consumption::consumed)
        .extracting(Consumption::usesRemaining)
        .containsExactlyInAnyOrder(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
  }

  @Test
  public void concurrentSpending_neverExceedsTheBudget() throws Exception {
    List<Consumption> results =
        concurrently(50, () -> counter.tryConsume(MANDATE, null, budget(W1, "100", "7")));
    assertThat(results).filteredOn(Consumption::consumed).hasSize(14); // 14 × 7 = 98
    assertThat(counter.tryConsume(MANDATE, null, budget(W1, "100", "2")).budgetRemaining())
        .isEqualByComparingTo("0");
  }

  @Test
  public void release_givesBackOneUse() {
    counter.tryConsume(MANDATE, rate(W1, 2), null);
    counter.tryConsume(MANDATE, rate(W1, 2), null);
    counter.release(MANDATE, rate(W1, 2), null);
    Consumption c = counter.tryConsume(MANDATE, rate(W1, 2), null);
    assertThat(c.consumed()).isTrue();
    assertThat(c.usesRemaining()).isZero();
    assertThat(counter.tryConsume(MANDATE, rate(W1, 2), null).consumed()).isFalse();
  }

  @Test
  public void release_givesBackTheAmount() {
    counter.tryConsume(MANDATE, null, budget(W1, "100", "60.25"));
    counter.tryConsume(MANDATE, null, budget(W1, "100", "30"));
    counter.release(MANDATE, null, budget(W1, "100", "60.25"));
    Consumption c = counter.tryConsume(MANDATE, null, budget(W1, "100", "70"));
    assertThat(c.consumed()).isTrue();
    assertThat(c.budgetRemaining()).isEqualByComparingTo("0");
  }

  @Test
  public void release_ofRateAndBudget_givesBackBoth() {
    counter.tryConsume(MANDATE, rate(W1, 1), budget(W1, "10", "10"));
    counter.release(MANDATE, rate(W1, 1), budget(W1, "10", "10"));
    Consumption c = counter.tryConsume(MANDATE, rate(W1, 1), budget(W1, "10", "10"));
    assertThat(c.consumed()).isTrue();
    assertThat(c.usesRemaining()).isZero();
    assertThat(c.budgetRemaining()).isEqualByComparingTo("0");
  }

  @Test
  public void release_neverGoesBelowZero() {
    counter.release(MANDATE, rate(W1, 3), budget(W1, "10", "4"));
    counter.tryConsume(MANDATE, rate(W1, 3), budget(W1, "10", "4"));
    counter.release(MANDATE, rate(W1, 3), budget(W1, "10", "4"));
    counter.release(MANDATE, rate(W1, 3), budget(W1, "10", "4"));
    Consumption c = counter.tryConsume(MANDATE, rate(W1, 3), budget(W1, "10", "4"));
    assertThat(c.usesRemaining()).isEqualTo(2);
    assertThat(c.budgetRemaining()).isEqualByComparingTo("6");
  }

  @Test
  public void release_touchesOnlyItsMandateAndWindow() {
    counter.tryConsume(MANDATE, rate(W1, 1), null);
    counter.tryConsume(MANDATE, rate(W2, 1), null);
    counter.tryConsume(OTHER, rate(W1, 1), null);
    counter.release(MANDATE, rate(W1, 1), null);
    assertThat(counter.tryConsume(MANDATE, rate(W1, 1), null).consumed()).isTrue();
    assertThat(counter.tryConsume(MANDATE, rate(W2, 1), null).refusals())
        .containsExactly(UsageRefusal.RATE_LIMIT_EXCEEDED);
    assertThat(counter.tryConsume(OTHER, rate(W1, 1), null).refusals())
        .containsExactly(UsageRefusal.RATE_LIMIT_EXCEEDED);
  }

  @Test
  public void concurrentConsumesAndReleases_leaveTheCountExact() throws Exception {
    List<Boolean> consumed =
        concurrently(40, () -> {
          boolean ok = counter.tryConsume(MANDATE, rate(W1, 5), budget(W1, "50", "10")).consumed();
          if (ok) {
            counter.release(MANDATE, rate(W1, 5), budget(W1, "50", "10"));
          }
          return ok;
        });
    assertThat(consumed).contains(true);
    for (int i = 4; i >= 0; i--) {
      Consumption c = counter.tryConsume(MANDATE, rate(W1, 5), budget(W1, "50", "10"));
      assertThat(c.usesRemaining()).isEqualTo(i);
      assertThat(c.budgetRemaining()).isEqualByComparingTo(String.valueOf(i * 10));
    }
    assertThat(counter.tryConsume(MANDATE, rate(W1, 5), null).consumed()).isFalse();
  }

  @Test
  public void refusalsNameWhatRefused_whileOthersGiveBack() throws Exception {
    // each thread takes the whole budget when it can and gives it back at once; the others are
    // refused meanwhile, always for the budget: the rate limit is far away. They go on until 200
    // refusals were seen in all (or 30 s passed), however the threads happen to be scheduled
    java.util.concurrent.atomic.AtomicInteger seenInAll = new java.util.concurrent.atomic.AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<List<UsageRefusal>> refusals =
        concurrently(8, () -> {
          List<List<UsageRefusal>> seen = new ArrayList<>();
          while (seenInAll.get() < 200 && System.nanoTime() < deadline) {
            Consumption c = counter.tryConsume(MANDATE, rate(W1, 1_000_000), budget(W1, "10", "10"));
            if (c.consumed()) {
              counter.release(MANDATE, rate(W1, 1_000_000), budget(W1, "10", "10"));
            } else {
              seen.add(c.refusals());
              seenInAll.incrementAndGet();
            }
          }
          return seen;
        }).stream().flatMap(List::stream).toList();
    assertThat(refusals)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r).containsExactly(UsageRefusal.BUDGET_EXHAUSTED));
  }

  /** Runs {@code task} on {@code threads} threads released together; returns every result. */
  public static <T> List<T> concurrently(int threads, Supplier<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(threads);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return task.get();
                }));
      }
      assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(10, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
