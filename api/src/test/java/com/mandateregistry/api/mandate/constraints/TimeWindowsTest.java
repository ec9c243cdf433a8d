package com.mandateregistry.api.mandate.constraints;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Weekly windows in wall-clock time: inclusive start, exclusive end, {@code 24:00}, windows that
 * cross midnight, and daylight-saving changes (Europe/Berlin: 2025-03-30 02:00 CET → 03:00 CEST,
 * 2025-10-26 03:00 CEST → 02:00 CET).
 */
class TimeWindowsTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static TimeWindows berlin(Set<DayOfWeek> days, int start, int end) {
    return new TimeWindows(BERLIN, List.of(new TimeWindow(days, start, end)));
  }

  private static final TimeWindows WEEKDAYS_8_TO_18 =
      berlin(
          Set.of(
              DayOfWeek.MONDAY,
              DayOfWeek.TUESDAY,
              DayOfWeek.WEDNESDAY,
              DayOfWeek.THURSDAY,
              DayOfWeek.FRIDAY),
          8 * 60,
          18 * 60);

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // Monday 3 March 2025, CET (UTC+1)
    "2025-03-03T06:59:59Z, false", // 07:59:59 local
    "2025-03-03T07:00:00Z, true", //  08:00 local: start is inclusive
    "2025-03-03T16:59:59.999Z, true",
    "2025-03-03T17:00:00Z, false", // 18:00 local: end is exclusive
    "2025-03-08T10:00:00Z, false" //  Saturday
  })
  void weekdayWindow_startInclusive_endExclusive(Instant instant, boolean inside) {
    assertThat(WEEKDAYS_8_TO_18.contains(instant)).isEqualTo(inside);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // Friday 4 April 2025 is CEST (UTC+2): 08:00 local is 06:00Z
    "2025-04-04T05:59:59Z, false",
    "2025-04-04T06:00:00Z, true",
    "2025-04-04T15:59:59Z, true",
    "2025-04-04T16:00:00Z, false"
  })
  void summerTime_windowFollowsTheLocalClock(Instant instant, boolean inside) {
    assertThat(WEEKDAYS_8_TO_18.contains(instant)).isEqualTo(inside);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // Sunday 30 March 2025: local clocks jump from 02:00 to 03:00 (01:00Z)
    "2025-03-30T00:30:00Z, true", //  01:30 CET
    "2025-03-30T00:59:59Z, true", //  01:59:59 CET
    "2025-03-30T01:00:00Z, true", //  03:00 CEST, still before 04:00
    "2025-03-30T01:59:59Z, true", //  03:59:59 CEST
    "2025-03-30T02:00:00Z, false" //  04:00 CEST
  })
  void springForward_windowAcrossTheGap_isOneHourShorter(Instant instant, boolean inside) {
    TimeWindows sundayOneToFour = berlin(Set.of(DayOfWeek.SUNDAY), 60, 4 * 60);
    assertThat(sundayOneToFour.contains(instant)).isEqualTo(inside);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // Sunday 26 October 2025: local clocks go back from 03:00 CEST to 02:00 CET (01:00Z)
    "2025-10-25T23:59:59Z, false", // 01:59:59 CEST
    "2025-10-26T00:00:00Z, true", //  02:00 CEST, first pass
    "2025-10-26T00:59:59Z, true", //  02:59:59 CEST
    "2025-10-26T01:00:00Z, true", //  02:00 CET, second pass
    "2025-10-26T01:59:59Z, true", //  02:59:59 CET
    "2025-10-26T02:00:00Z, false" //  03:00 CET
  })
  void fallBack_windowInTheRepeatedHour_coversBothPasses(Instant instant, boolean inside) {
    TimeWindows sundayTwoToThree = berlin(Set.of(DayOfWeek.SUNDAY), 2 * 60, 3 * 60);
    assertThat(sundayTwoToThree.contains(instant)).isEqualTo(inside);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    // FRI 22:00 → 06:00, Berlin in CET: Friday 7 March 2025
    "2025-03-07T20:59:59Z, false", // Fri 21:59:59
    "2025-03-07T21:00:00Z, true", //  Fri 22:00
    "2025-03-07T23:30:00Z, true", //  Sat 00:30: the night that started on Friday
    "2025-03-08T04:59:59Z, true", //  Sat 05:59:59
    "2025-03-08T05:00:00Z, false", // Sat 06:00: end is exclusive
    "2025-03-07T03:00:00Z, false", // Fri 04:00: that night started on Thursday
    "2025-03-08T21:30:00Z, false" //  Sat 22:30: Saturday is not listed
  })
  void midnightCrossingWindow_runsIntoTheNextDay(Instant instant, boolean inside) {
    TimeWindows fridayNight = berlin(Set.of(DayOfWeek.FRIDAY), 22 * 60, 6 * 60);
    assertThat(fridayNight.contains(instant)).isEqualTo(inside);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "2025-03-09T22:59:59Z, true", // Sun 23:59:59 CET
    "2025-03-09T23:00:00Z, false" // Mon 00:00 CET
  })
  void endOf2400_coversTheLastSecondOfTheDay(Instant instant, boolean inside) {
    TimeWindows sundayAllDay = berlin(Set.of(DayOfWeek.SUNDAY), 0, 24 * 60);
    assertThat(sundayAllDay.contains(instant)).isEqualTo(inside);
  }

  @Test
  void severalWindows_anyOfThemSuffices() {
    TimeWindows windows =
        new TimeWindows(
            BERLIN,
            List.of(
                new TimeWindow(Set.of(DayOfWeek.MONDAY), 8 * 60, 9 * 60),
                new TimeWindow(Set.of(DayOfWeek.MONDAY), 17 * 60, 18 * 60)));
    assertThat(windows.contains(Instant.parse("2025-03-03T07:30:00Z"))).isTrue();
    assertThat(windows.contains(Instant.parse("2025-03-03T12:00:00Z"))).isFalse();
    assertThat(windows.contains(Instant.parse("2025-03-03T16:30:00Z"))).isTrue();
  }
}
