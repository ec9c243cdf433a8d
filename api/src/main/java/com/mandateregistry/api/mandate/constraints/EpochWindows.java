package com.mandateregistry.api.mandate.constraints;

import java.time.Duration;
import java.time.Instant;

/** Fixed windows aligned to the Unix epoch: a window starts at a whole multiple of its period. */
final class EpochWindows {

  private EpochWindows() {}

  /** {@code floor(epochMillis / periodMillis) * periodMillis}. */
  static Instant start(Instant now, Duration period) {
    long periodMillis = period.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), periodMillis) * periodMillis);
  }

  /** Checks that a window period is at least a second and a whole number of milliseconds. */
  static void checkPeriod(Duration period) {
    if (period.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("must be at least 1 second (PT1S)");
    }
    if (period.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("must be a whole number of milliseconds");
    }
  }
}
