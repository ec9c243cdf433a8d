package com.mandateregistry.api.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The date-times the API accepts: RFC 3339 has four-digit years, so 0000-01-01T00:00:00Z to
 * 9999-12-31T23:59:59.999999Z (microseconds, as PostgreSQL keeps them). Java parses years far
 * beyond that ({@code +300000-01-01T00:00:00Z}), and PostgreSQL's {@code timestamptz} ends in
 * the year 294276, so an unchecked one would be a 500 at the database instead of a 400 at the
 * edge.
 */
public final class Timestamps {

  /** The first instant of year 0000. */
  public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

  /**
   * The last instant of year 9999 that PostgreSQL can store as it is: {@code timestamptz} keeps
   * microseconds and rounds the rest, so {@code 23:59:59.999999999} would become year 10000.
   */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  /** What to tell a client whose date-time is not one ({@link #parseRfc3339}). */
  public static final String NOT_RFC_3339 =
      "must be an RFC 3339 date-time such as \"2030-01-01T00:00:00Z\" (seconds always, a year from 0000 to 9999)";

  /** What to tell a client whose date-time is outside {@link #inRange}. */
  public static final String OUT_OF_RANGE = "must be an RFC 3339 date-time with a year from 0000 to 9999";

  /**
   * RFC 3339's {@code date-time}, leap second excepted: four-digit year, {@code T}, seconds always,
   * an optional fraction of 1 to 9 digits, {@code Z} or {@code ±hh:mm}. Java's {@code
   * ISO_OFFSET_DATE_TIME} alone would also take {@code 00:00} without seconds, an empty fraction,
   * {@code +05}, {@code +05:30:15}.
   */
  private static final Pattern RFC_3339 =
      Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})");

  private Timestamps() {}

  /**
   * An RFC 3339 date-time (see {@link #RFC_3339}); the calendar and clock must exist, and the
   * offset lie within ±18:00 (Java's range; RFC 3339 allows ±23:59). Range is checked apart
   * ({@link #inRange}).
   *
   * @throws DateTimeException when {@code text} is not one
   */
  public static Instant parseRfc3339(String text) {
    if (!RFC_3339.matcher(text).matches()) {
      throw new DateTimeException("not an RFC 3339 date-time: " + text);
    }
    return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }

  /** Whether {@code instant} can be written as an RFC 3339 date-time. */
  public static boolean inRange(Instant instant) {
    return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
  }
}
