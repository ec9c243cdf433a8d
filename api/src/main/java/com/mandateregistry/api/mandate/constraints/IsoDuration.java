package com.mandateregistry.api.mandate.constraints;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * An ISO 8601 duration as constraints write it: {@code PT8H}, {@code P30D}, {@code P1W}, {@code
 * P1M}, {@code P1Y2M3DT4H30M}. The date part (years, months, weeks, days) is a {@link Period}, the
 * time part (hours, minutes, seconds with up to 9 decimals) a {@link Duration}. No part may be
 * negative, the whole must be positive and at most {@link #MAX_DAYS} days (100 years).
 *
 * <p>Years and months have no fixed length: {@link #addTo} adds them on the UTC calendar. Days are
 * 24 hours. Where a fixed length is needed (a rate-limit period, an MFA age), only durations
 * without years and months are accepted ({@link #isFixedLength}).
 *
 * @param text the duration as written
 * @param datePart years, months and days
 * @param timePart hours, minutes and seconds
 */
public record IsoDuration(String text, Period datePart, Duration timePart) {

  /** The longest duration accepted, in days: 100 years. */
  public static final long MAX_DAYS = 36_525;

  public IsoDuration {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(datePart, "datePart");
    Objects.requireNonNull(timePart, "timePart");
  }

  /**
   * Parses and checks a duration.
   *
   * @throws IllegalArgumentException whose message says what is wrong (without a parameter name)
   */
  public static IsoDuration parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 64 || text.charAt(0) != 'P') {
      throw new IllegalArgumentException(
          "must be an ISO 8601 duration such as \"PT8H\", \"P30D\" or \"P1M\"");
    }
    int t = text.indexOf('T');
    String date = t < 0 ? text : text.substring(0, t);
    Period period;
    Duration time;
    try {
      period = date.equals("P") ? Period.ZERO : Period.parse(date);
      time = t < 0 ? Duration.ZERO : Duration.parse("P" + text.substring(t));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "must be an ISO 8601 duration such as \"PT8H\", \"P30D\" or \"P1M\"");
    }
    if (date.equals("P") && t < 0) {
      throw new IllegalArgumentException(
          "must be an ISO 8601 duration such as \"PT8H\", \"P30D\" or \"P1M\"");
    }
    if (period.getYears() < 0 || period.getMonths() < 0 || period.getDays() < 0
        || time.isNegative()) {
      throw new IllegalArgumentException("must not be negative");
    }
    IsoDuration duration = new IsoDuration(text, period, time);
    Instant end;
    try {
      end = duration.addTo(Instant.EPOCH);
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("must be at most 100 years");
    }
    if (!end.isAfter(Instant.EPOCH)) {
      throw new IllegalArgumentException("must be positive");
    }
    if (end.isAfter(Instant.EPOCH.plus(Duration.ofDays(MAX_DAYS)))) {
      throw new IllegalArgumentException("must be at most 100 years");
    }
    return duration;
  }

  /** {@code from} plus this duration: years, months and days on the UTC calendar, then the time. */
  public Instant addTo(Instant from) {
    return from.atOffset(ZoneOffset.UTC).plus(datePart).plus(timePart).toInstant();
  }

  /** Whether this duration has no years and no months, so that it has one length in seconds. */
  public boolean isFixedLength() {
    return datePart.toTotalMonths() == 0;
  }

  /**
   * The length of a fixed-length duration (days are 24 hours).
   *
   * @throws IllegalStateException when it has years or months
   */
  public Duration toDuration() {
    if (!isFixedLength()) {
      throw new IllegalStateException(text + " has years or months, so no fixed length");
    }
    return Duration.ofDays(datePart.getDays()).plus(timePart);
  }

  @Override
  public String toString() {
    return text;
  }
}
