package com.mandateregistry.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 3339 date-times as {@link Timestamps#parseRfc3339} takes them, and what it refuses. */
class TimestampsTest {

  @ParameterizedTest
  @CsvSource({
    "2030-01-01T00:00:00Z, 2030-01-01T00:00:00Z",
    "2030-01-01t00:00:00z, 2030-01-01T00:00:00Z",
    "2030-01-01T01:30:00+01:30, 2030-01-01T00:00:00Z",
    "2029-12-31T19:00:00-05:00, 2030-01-01T00:00:00Z",
    "2030-01-01T00:00:00.123456789Z, 2030-01-01T00:00:00.123456789Z",
    "2030-01-01T00:00:00.5-00:00, 2030-01-01T00:00:00.5Z",
    "2030-01-01T18:00:00+18:00, 2030-01-01T00:00:00Z"
  })
  void parsesRfc3339(String text, String instant) {
    assertThat(Timestamps.parseRfc3339(text)).isEqualTo(Instant.parse(instant));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2030-01-01T00:00Z", // no seconds
        "2030-01-01T00:00:00+05:30:15", // offset seconds
        "2030-01-01T00:00:00+05", // offset without minutes
        "2030-01-01T00:00:00+0530",
        "2030-01-01T00:00:00.Z", // empty fraction
        "2030-01-01T00:00:00.1234567890Z", // 10 fraction digits
        "2030-01-01 00:00:00Z",
        "2030-01-01T00:00:00",
        "+2030-01-01T00:00:00Z",
        "2030-02-30T00:00:00Z",
        "2030-01-01T24:00:00Z",
        "2030-06-30T23:59:60Z", // leap second: not representable
        "2030-01-01T00:00:00+19:00", // beyond Java's offsets
        "2030-01-01T00:00:00,5Z",
        "٢٠٣٠-01-01T00:00:00Z"
      })
  void refusesTheRest(String text) {
    assertThatThrownBy(() -> Timestamps.parseRfc3339(text)).isInstanceOf(DateTimeException.class);
  }
}
