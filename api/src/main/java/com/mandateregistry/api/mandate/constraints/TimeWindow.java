package com.mandateregistry.api.mandate.constraints;

import java.time.DayOfWeek;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One weekly window of {@code time_windows}, in wall-clock time of the windows' zone.
 *
 * <p>From {@code start} (inclusive) to {@code end} (exclusive) on each of {@code days}. When
 * {@code start} is after {@code end} the window crosses midnight: it runs from {@code start} on a
 * listed day to {@code end} on the day after (a {@code FRI 22:00–06:00} window covers Friday night
 * and Saturday morning, not Friday morning).
 *
 * @param days the days the window starts on, at least one
 * @param startMinute minutes after midnight, 0..1439
 * @param endMinute minutes after midnight, 0..1440 (1440 is {@code 24:00}), not equal to start
 */
public record TimeWindow(Set<DayOfWeek> days, int startMinute, int endMinute) {

  private static final long NANOS_PER_MINUTE = 60_000_000_000L;

  public TimeWindow {
    Objects.requireNonNull(days, "days");
    if (days.isEmpty()) {
      throw new IllegalArgumentException("days must not be empty");
    }
    days = Collections.unmodifiableSet(EnumSet.copyOf(days));
    if (startMinute < 0 || startMinute > 1439) {
      throw new IllegalArgumentException("start must be 00:00..23:59");
    }
    if (endMinute < 0 || endMinute > 1440) {
      throw new IllegalArgumentException("end must be 00:00..24:00");
    }
    if (startMinute == endMinute) {
      throw new IllegalArgumentException("start and end must differ");
    }
  }

  /** Whether the window crosses midnight into the next day. */
  public boolean crossesMidnight() {
    return startMinute > endMinute;
  }

  /** Whether the wall-clock moment {@code day} at {@code nanoOfDay} lies in this window. */
  public boolean covers(DayOfWeek day, long nanoOfDay) {
    long start = startMinute * NANOS_PER_MINUTE;
    long end = endMinute * NANOS_PER_MINUTE;
    if (!crossesMidnight()) {
      return days.contains(day) && nanoOfDay >= start && nanoOfDay < end;
    }
    return (days.contains(day) && nanoOfDay >= start)
        || (days.contains(day.minus(1)) && nanoOfDay < end);
  }

  @Override
  public String toString() {
    return days + " " + hhmm(startMinute) + "-" + hhmm(endMinute);
  }

  private static String hhmm(int minute) {
    return String.format("%02d:%02d", minute / 60, minute % 60);
  }
}
