package com.mandateregistry.query.verification;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * An amount to consume from a budget's current window.
 *
 * @param windowStart the window's start, aligned to the epoch; {@link
 *     com.mandateregistry.api.mandate.constraints.Budget#LIFETIME_WINDOW_START} for a budget over
 *     the mandate's whole life. With the mandate id, the counter's key
 * @param windowEnd the window's end (exclusive), or null for a lifetime budget
 * @param limit the most that may be spent in the window, at least 0
 * @param amount what this verification spends, at least 0
 * @param currency the currency of limit and amount
 */
public record BudgetWindow(
    Instant windowStart, Instant windowEnd, BigDecimal limit, BigDecimal amount, String currency) {

  public BudgetWindow {
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    if (windowEnd != null && !windowEnd.isAfter(windowStart)) {
      throw new IllegalArgumentException("windowEnd must be after windowStart");
    }
    if (limit.signum() < 0 || amount.signum() < 0) {
      throw new IllegalArgumentException("limit and amount must not be negative");
    }
  }
}
