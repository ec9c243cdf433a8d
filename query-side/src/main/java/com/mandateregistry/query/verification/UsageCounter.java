package com.mandateregistry.query.verification;

/**
 * The port through which the decision consumes a mandate's stateful constraints (rate limit and
 * budget). Implementations are shared by every node, so the limits hold across the cluster.
 *
 * <p>Contract of {@link #tryConsume}:
 *
 * <ul>
 *   <li><b>All or nothing, for one mandate.</b> Either every given window is consumed (one use of
 *       the rate window, {@code amount} of the budget window), or none is.
 *   <li><b>Atomic.</b> Concurrent calls never consume more than {@code maxUses} uses or more than
 *       {@code limit} in one window, on one node or many.
 *   <li><b>Keyed by window.</b> A count belongs to {@code (mandateId, rate|budget, windowStart)};
 *       a new {@code windowStart} starts from zero. A lifetime budget always passes the same
 *       {@code windowStart}.
 *   <li><b>Reports every refusal.</b> When refused, {@link Consumption#refusals()} names each
 *       constraint that could not be consumed, and the remaining values are those before the call.
 *   <li>At least one of {@code rate} and {@code budget} is non-null (the engine does not call the
 *       port for a mandate without stateful constraints).
 * </ul>
 *
 * <p>A PostgreSQL implementation can do it in one transaction with one conditional statement per
 * constraint, for example on {@code mandate_usage(mandate_id, kind, window_start, window_end, used,
 * PRIMARY KEY (mandate_id, kind, window_start))}:
 *
 * <pre>{@code
 * -- rate (returns no row when the window is full)
 * INSERT INTO mandate_usage (mandate_id, kind, window_start, window_end, used)
 *      VALUES (:id, 'rate', :window_start, :window_end, 1)
 * ON CONFLICT (mandate_id, kind, window_start)
 *   DO UPDATE SET used = mandate_usage.used + 1 WHERE mandate_usage.used + 1 <= :max_uses
 * RETURNING :max_uses - used AS remaining;
 * -- budget (returns no row when the amount does not fit)
 * INSERT INTO mandate_usage (mandate_id, kind, window_start, window_end, used)
 *      SELECT :id, 'budget', :window_start, :window_end, :amount WHERE :amount <= :limit
 * ON CONFLICT (mandate_id, kind, window_start)
 *   DO UPDATE SET used = mandate_usage.used + EXCLUDED.used
 *   WHERE mandate_usage.used + EXCLUDED.used <= :limit
 * RETURNING :limit - used AS remaining;
 * }</pre>
 *
 * If either returns no row, roll back, and read what remains ({@code SELECT used …}) to report
 * it. Rows of ended windows ({@code window_end < now()}) may be deleted at leisure.
 */
public interface UsageCounter {

  /**
   * Consumes one use of {@code rate} and {@code amount} of {@code budget} for one mandate, all or
   * nothing.
   *
   * @param rate the rate window, or null when the mandate has no rate limit
   * @param budget the budget window, or null when the mandate has no budget
   */
  Consumption tryConsume(String mandateId, RateWindow rate, BudgetWindow budget);

  /**
   * Gives back what one {@link #tryConsume} call consumed, with the same arguments, when the
   * decision it was consumed for was certainly never recorded (the verification answered 503): one
   * use of {@code rate} and {@code amount} of {@code budget}. Counts never go below zero, and a
   * window with nothing consumed stays as it is. Callers give back at most once per consumption.
   *
   * @param rate the rate window given to {@link #tryConsume}, or null
   * @param budget the budget window given to {@link #tryConsume}, or null
   */
  void release(String mandateId, RateWindow rate, BudgetWindow budget);
}
