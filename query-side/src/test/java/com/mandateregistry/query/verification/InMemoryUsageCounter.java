package com.mandateregistry.query.verification;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TEST-ONLY. An in-memory {@link UsageCounter}: one lock around a map, so it keeps the contract
 * (all or nothing, atomic) within one JVM. Production uses the PostgreSQL counter, which keeps it
 * across nodes.
 */
final class InMemoryUsageCounter implements UsageCounter {

  private record Key(String mandateId, String kind, Instant windowStart) {}

  private final Map<Key, BigDecimal> used = new HashMap<>();
  private int calls;

  @Override
  public synchronized Consumption tryConsume(
      String mandateId, RateWindow rate, BudgetWindow budget) {
    if (rate == null && budget == null) {
      throw new IllegalArgumentException("nothing to consume");
    }
    calls++;
    Key rateKey = rate == null ? null : new Key(mandateId, "rate", rate.windowStart());
    Key budgetKey = budget == null ? null : new Key(mandateId, "budget", budget.windowStart());
    long usesBefore = rate == null ? 0 : used.getOrDefault(rateKey, BigDecimal.ZERO).longValue();
    BigDecimal spentBefore =
        budget == null ? BigDecimal.ZERO : used.getOrDefault(budgetKey, BigDecimal.ZERO);

    List<UsageRefusal> refusals = new ArrayList<>();
    if (rate != null && usesBefore + 1 > rate.maxUses()) {
      refusals.add(UsageRefusal.RATE_LIMIT_EXCEEDED);
    }
    if (budget != null && spentBefore.add(budget.amount()).compareTo(budget.limit()) > 0) {
      refusals.add(UsageRefusal.BUDGET_EXHAUSTED);
    }
    if (!refusals.isEmpty()) {
      return Consumption.refused(
          refusals,
          rate == null ? null : Math.max(0, rate.maxUses() - usesBefore),
          budget == null ? null : budget.limit().subtract(spentBefore).max(BigDecimal.ZERO));
    }
    if (rate != null) {
      used.put(rateKey, BigDecimal.valueOf(usesBefore + 1));
    }
    if (budget != null) {
      used.put(budgetKey, spentBefore.add(budget.amount()));
    }
    return Consumption.consumed(
        rate == null ? null : rate.maxUses() - usesBefore - 1,
        budget == null ? null : budget.limit().subtract(spentBefore).subtract(budget.amount()));
  }

  @Override
  public synchronized void release(String mandateId, RateWindow rate, BudgetWindow budget) {
    if (rate != null) {
      used.computeIfPresent(
          new Key(mandateId, "rate", rate.windowStart()),
          (k, uses) -> uses.subtract(BigDecimal.ONE).max(BigDecimal.ZERO));
    }
    if (budget != null) {
      used.computeIfPresent(
          new Key(mandateId, "budget", budget.windowStart()),
          (k, spent) -> spent.subtract(budget.amount()).max(BigDecimal.ZERO));
    }
  }

  /** How many times {@link #tryConsume} was called. */
  synchronized int calls() {
    return calls;
  }

  /** Uses counted for a mandate in the rate window starting at {@code windowStart}. */
  synchronized long usesIn(String mandateId, Instant windowStart) {
    return used.getOrDefault(new Key(mandateId, "rate", windowStart), BigDecimal.ZERO).longValue();
  }

  /** Amount spent by a mandate in the budget window starting at {@code windowStart}. */
  synchronized BigDecimal spentIn(String mandateId, Instant windowStart) {
    return used.getOrDefault(new Key(mandateId, "budget", windowStart), BigDecimal.ZERO);
  }
}
