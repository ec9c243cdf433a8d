package com.mandateregistry.query.verification;

import java.time.Instant;
import java.util.Objects;

/**
 * One use to consume from a rate limit's current window.
 *
 * @param windowStart the window's start, aligned to the epoch; with the mandate id, the counter's key
 * @param windowEnd the window's end (exclusive); a row of an ended window is never read again
 * @param maxUses the most uses in the window, at least 1
 */
public record RateWindow(Instant windowStart, Instant windowEnd, long maxUses) {

  public RateWindow {
    Objects.requireNonNull(windowStart, "windowStart");
    Objects.requireNonNull(windowEnd, "windowEnd");
    if (!windowEnd.isAfter(windowStart)) {
      throw new IllegalArgumentException("windowEnd must be after windowStart");
    }
    if (maxUses < 1) {
      throw new IllegalArgumentException("maxUses must be at least 1");
    }
  }
}
