package com.mandateregistry.api.mandate.constraints;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * {@code time_windows}: weekly windows in wall-clock time of a named IANA zone. An instant is
 * inside when it is inside at least one window. Wall-clock time follows the zone's daylight-saving
 * changes: {@code 08:00–18:00} means 08:00 to 18:00 as the local clocks show it, on short and long
 * days alike.
 *
 * @param timeZone the zone the windows are read in
 * @param windows at least one
 */
public record TimeWindows(ZoneId timeZone, List<TimeWindow> windows) {

  public TimeWindows {
    Objects.requireNonNull(timeZone, "timeZone");
    windows = List.copyOf(windows);
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("windows must not be empty");
    }
  }

  /** Whether {@code instant} lies in at least one window. */
  public boolean contains(Instant instant) {
    ZonedDateTime local = instant.atZone(timeZone);
    long nanoOfDay = local.toLocalTime().toNanoOfDay();
    for (TimeWindow window : windows) {
      if (window.covers(local.getDayOfWeek(), nanoOfDay)) {
        return true;
      }
    }
    return false;
  }
}
