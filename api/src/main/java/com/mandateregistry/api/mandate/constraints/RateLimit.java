package com.mandateregistry.api.mandate.constraints;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code rate_limit}: at most {@code maxUses} allowed verifications per fixed window of {@code
 * period}, windows aligned to the Unix epoch (a window starts at {@code floor(epochMillis /
 * periodMillis) * periodMillis}).
 *
 * @param maxUses at least 1
 * @param period at least one second, a whole number of milliseconds
 */
public record RateLimit(long maxUses, Duration period) {

  public RateLimit {
    Objects.requireNonNull(period, "period");
    if (maxUses < 1) {
      throw new IllegalArgumentException("max_uses must be at least 1");
    }
    EpochWindows.checkPeriod(period);
  }

  /** The start of the window that contains {@code now}. */
  public Instant windowStart(Instant now) {
    return EpochWindows.start(now, period);
  }

  /** The end (exclusive) of the window that contains {@code now}: when the count resets. */
  public Instant windowEnd(Instant now) {
    return windowStart(now).plus(period);
  }
}
