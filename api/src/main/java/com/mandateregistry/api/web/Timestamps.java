package com.mandateregistry.api.web;

import java.time.Instant;

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

  /** What to tell a client whose date-time is outside {@link #inRange}. */
  public static final String OUT_OF_RANGE = "must be an RFC 3339 date-time with a year from 0000 to 9999";

  private Timestamps() {}

  /** Whether {@code instant} can be written as an RFC 3339 date-time. */
  public static boolean inRange(Instant instant) {
    return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
  }
}
