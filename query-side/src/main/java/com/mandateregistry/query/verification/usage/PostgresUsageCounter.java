package com.mandateregistry.query.verification.usage;

import com.mandateregistry.query.verification.BudgetWindow;
import com.mandateregistry.query.verification.Consumption;
import com.mandateregistry.query.verification.RateWindow;
import com.mandateregistry.query.verification.UsageCounter;
import com.mandateregistry.query.verification.UsageRefusal;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link UsageCounter} on {@code constraint_usage}, shared by every node. One transaction per call:
 * one conditional upsert per constraint; the row lock that an upsert takes serialises concurrent
 * consumers of the same window, and the condition keeps the count within its limit. If one
 * constraint refuses, what remains is read and the transaction rolls back, so nothing is consumed.
 * {@link #release} gives a consumption back with one conditional update per constraint,
 * in one transaction.
 */
@Component
public class PostgresUsageCounter implements UsageCounter {

  private static final String CONSUME_USE =
      """
      INSERT INTO constraint_usage (mandate_id, kind, window_start, used_count, used_amount)
      VALUES (?, 'rate', ?, 1, 0)
      ON CONFLICT (mandate_id, kind, window_start)
        DO UPDATE SET used_count = constraint_usage.used_count + 1
        WHERE constraint_usage.used_count < ?
      RETURNING used_count
      """;

  private static final String CONSUME_AMOUNT =
      """
      INSERT INTO constraint_usage (mandate_id, kind, window_start, used_count, used_amount)
      SELECT ?, 'budget', ?, 1, ? WHERE ? <= ?
      ON CONFLICT (mandate_id, kind, window_start)
        DO UPDATE SET used_count = constraint_usage.used_count + 1,
                      used_amount = constraint_usage.used_amount + excluded.used_amount
        WHERE constraint_usage.used_amount + excluded.used_amount <= ?
      RETURNING used_amount
      """;

  private static final String RELEASE_USE =
      """
      UPDATE constraint_usage SET used_count = GREATEST(used_count - 1, 0)
       WHERE mandate_id = ? AND kind = 'rate' AND window_start = ?
      """;

  private static final String RELEASE_AMOUNT =
      """
      UPDATE constraint_usage SET used_count = GREATEST(used_count - 1, 0),
                                  used_amount = GREATEST(used_amount - ?, 0)
       WHERE mandate_id = ? AND kind = 'budget' AND window_start = ?
      """;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  public PostgresUsageCounter(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
    this.jdbc = jdbc;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  @Override
  public Consumption tryConsume(String mandateId, RateWindow rate, BudgetWindow budget) {
    return transactions.execute(
        status -> {
          Long used = rate == null ? null : consumeUse(mandateId, rate);
          BigDecimal spent = budget == null ? null : consumeAmount(mandateId, budget);
          boolean rateRefused = rate != null && used == null;
          boolean budgetRefused = budget != null && spent == null;
          if (!rateRefused && !budgetRefused) {
            return Consumption.consumed(
                rate == null ? null : rate.maxUses() - used,
                budget == null ? null : budget.limit().subtract(spent));
          }
          status.setRollbackOnly();
          return refusal(mandateId, rate, used, budget, spent);
        });
  }

  @Override
  public void release(String mandateId, RateWindow rate, BudgetWindow budget) {
    transactions.executeWithoutResult(
        status -> {
          if (rate != null) {
            jdbc.update(RELEASE_USE, mandateId, rate.windowStart().toEpochMilli());
          }
          if (budget != null) {
            jdbc.update(RELEASE_AMOUNT, budget.amount(), mandateId, budget.windowStart().toEpochMilli());
          }
        });
  }

  private Long consumeUse(String mandateId, RateWindow rate) {
    List<Long> rows =
        jdbc.queryForList(CONSUME_USE, Long.class, mandateId, rate.windowStart().toEpochMilli(), rate.maxUses());
    return rows.isEmpty() ? null : rows.get(0);
  }

  private BigDecimal consumeAmount(String mandateId, BudgetWindow budget) {
    List<BigDecimal> rows =
        jdbc.queryForList(
            CONSUME_AMOUNT, BigDecimal.class,
            mandateId, budget.windowStart().toEpochMilli(), budget.amount(), budget.amount(),
            budget.limit(), budget.limit());
    return rows.isEmpty() ? null : rows.get(0);
  }

  /**
   * The refusal, inside the transaction that is about to be rolled back. The reasons are the
   * upserts that updated nothing, never a later read: a give-back by another request could make
   * such a read say there is room again. What remains is what this transaction's consumptions will
   * not take once rolled back. A refused constraint's row, if the upsert that refused met one, is
   * locked by that upsert (PostgreSQL locks the conflicting row even when the update's condition is
   * false), so reading it gives the count that refused. A budget's upsert meets no row when the
   * amount alone is above the limit (its {@code INSERT … SELECT … WHERE} yields no row to insert,
   * whether or not the window has one); then nothing is locked, and the read gives what is
   * committed at that moment. The reason is right either way: that amount never fits.
   */
  private Consumption refusal(
      String mandateId, RateWindow rate, Long used, BudgetWindow budget, BigDecimal spent) {
    List<UsageRefusal> refusals = new ArrayList<>();
    Long usesLeft = null;
    BigDecimal budgetLeft = null;
    if (rate != null) {
      if (used == null) {
        refusals.add(UsageRefusal.RATE_LIMIT_EXCEEDED);
        used = used(mandateId, "rate", rate.windowStart().toEpochMilli(), "used_count").longValue();
      } else {
        used = used - 1;
      }
      usesLeft = Math.max(0, rate.maxUses() - used);
    }
    if (budget != null) {
      if (spent == null) {
        refusals.add(UsageRefusal.BUDGET_EXHAUSTED);
        spent = used(mandateId, "budget", budget.windowStart().toEpochMilli(), "used_amount");
      } else {
        spent = spent.subtract(budget.amount());
      }
      budgetLeft = budget.limit().subtract(spent).max(BigDecimal.ZERO);
    }
    return Consumption.refused(refusals, usesLeft, budgetLeft);
  }

  private BigDecimal used(String mandateId, String kind, long windowStart, String column) {
    List<BigDecimal> rows =
        jdbc.queryForList(
            "SELECT " + column + " FROM constraint_usage WHERE mandate_id = ? AND kind = ? AND window_start = ?",
            BigDecimal.class, mandateId, kind, windowStart);
    return rows.isEmpty() ? BigDecimal.ZERO : rows.get(0);
  }
}
