package com.mandateregistry.query.verification;

import java.math.BigDecimal;
import java.util.List;

/**
 * What {@link UsageCounter#tryConsume} did: consumed everything it was asked for, or nothing.
 *
 * @param consumed whether every given window was consumed (then {@code refusals} is empty)
 * @param refusals when not consumed, every constraint that could not be, rate before budget
 * @param usesRemaining with a rate window, the uses left in it: after this use when consumed,
 *     without it when refused; null without a rate window
 * @param budgetRemaining with a budget window, the amount left in it: after this amount when
 *     consumed, without it when refused; null without a budget window
 */
public record Consumption(
    boolean consumed, List<UsageRefusal> refusals, Long usesRemaining, BigDecimal budgetRemaining) {

  public Consumption {
    refusals = refusals.stream().distinct().sorted().toList();
    if (consumed != refusals.isEmpty()) {
      throw new IllegalArgumentException("refusals must be empty exactly when consumed");
    }
  }

  /** Everything was consumed. */
  public static Consumption consumed(Long usesRemaining, BigDecimal budgetRemaining) {
    return new Consumption(true, List.of(), usesRemaining, budgetRemaining);
  }

  /** Nothing was consumed, because of {@code refusals} (at least one). */
  public static Consumption refused(
      List<UsageRefusal> refusals, Long usesRemaining, BigDecimal budgetRemaining) {
    if (refusals.isEmpty()) {
      throw new IllegalArgumentException("a refusal names at least one constraint");
    }
    return new Consumption(false, refusals, usesRemaining, budgetRemaining);
  }
}
