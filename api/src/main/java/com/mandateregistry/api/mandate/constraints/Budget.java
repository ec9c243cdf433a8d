package com.mandateregistry.api.mandate.constraints;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code budget}: the most that allowed verifications may spend in total, over the mandate's whole
 * life, or, with a {@code period}, per fixed window aligned to the Unix epoch.
 *
 * @param limit the total and its currency
 * @param period the window, or null for one budget over the mandate's whole life
 */
public record Budget(Money limit, Duration period) {

  /** The start of the single window of a lifetime budget. */
  public static final Instant LIFETIME_WINDOW_START = Instant.EPOCH;

  public Budget {
    Objects.requireNonNull(limit, "limit");
    if (period != null) {
      EpochWindows.checkPeriod(period);
    }
  }

  /** Whether the budget resets every {@code period}. */
  public boolean isPeriodic() {
    return period != null;
  }

  /**
   * The start of the window that contains {@code now}; for a lifetime budget always {@link
   * #LIFETIME_WINDOW_START}, so that all its spending lands in one window.
   */
  public Instant windowStart(Instant now) {
    return period == null ? LIFETIME_WINDOW_START : EpochWindows.start(now, period);
  }

  /** The end (exclusive) of the window that contains {@code now}; null for a lifetime budget. */
  public Instant windowEnd(Instant now) {
    return period == null ? null : windowStart(now).plus(period);
  }
}
