package com.mandateregistry.api.mandate.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parsing the {@code constraints} object: each key in its valid forms, each invalid form refused
 * with the parameter it concerns, unknown keys refused and {@code x_} keys kept. Maps hold what
 * Jackson delivers: String, Integer, Long, Double, BigDecimal, Boolean, List and Map.
 */
class MandateConstraintsTest {

  private static final Instant CREATED = Instant.parse("2025-01-31T10:00:00Z");

  /** A map that, unlike {@link Map#of}, keeps the order and allows null values. */
  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Map<String, Object> eur(Object amount) {
    return map("amount", amount, "currency", "EUR");
  }

  private static Map<String, Object> window(List<String> days, String start, String end) {
    return map("days", days, "start", start, "end", end);
  }

  private static Map<String, Object> berlin(Object... windows) {
    return map("time_zone", "Europe/Berlin", "windows", List.of(windows));
  }

  // ---- valid forms ----

  @Test
  void parse_ofNullOrEmpty_isNone() {
    assertThat(MandateConstraints.parse(null)).isSameAs(MandateConstraints.NONE);
    assertThat(MandateConstraints.parse(Map.of())).isSameAs(MandateConstraints.NONE);
    assertThat(MandateConstraints.NONE.hasAmountConstraint()).isFalse();
    assertThat(MandateConstraints.NONE.validUntil(CREATED, null)).isEmpty();
  }

  @Test
  void notBefore_acceptsRfc3339WithZOrAnOffset() {
    assertThat(MandateConstraints.parse(map("not_before", "2025-03-01T08:00:00Z")).notBefore())
        .contains(Instant.parse("2025-03-01T08:00:00Z"));
    assertThat(
            MandateConstraints.parse(map("not_before", "2025-03-01T09:00:00.5+01:00")).notBefore())
        .contains(Instant.parse("2025-03-01T08:00:00.5Z"));
  }

  @Test
  void duration_inHours_endsValidityThatLongAfterCreation() {
    MandateConstraints c = MandateConstraints.parse(map("duration", "PT8H"));
    assertThat(c.validUntil(CREATED, null)).contains(Instant.parse("2025-01-31T18:00:00Z"));
  }

  @Test
  void duration_inDaysAndWeeks_countsDaysOf24Hours() {
    assertThat(MandateConstraints.parse(map("duration", "P30D")).validUntil(CREATED, null))
        .contains(Instant.parse("2025-03-02T10:00:00Z"));
    assertThat(MandateConstraints.parse(map("duration", "P1W")).validUntil(CREATED, null))
        .contains(Instant.parse("2025-02-07T10:00:00Z"));
  }

  @Test
  void duration_inMonths_addsCalendarMonthsInUtc() {
    // 31 January + 1 month is the last day of February
    assertThat(MandateConstraints.parse(map("duration", "P1M")).validUntil(CREATED, null))
        .contains(Instant.parse("2025-02-28T10:00:00Z"));
    assertThat(MandateConstraints.parse(map("duration", "P1Y2M3DT4H30M")).validUntil(CREATED, null))
        .contains(Instant.parse("2026-04-03T14:30:00Z"));
  }

  @Test
  void validUntil_isExpiresAt_whenItComesBeforeTheDurationEnds() {
    Instant expiresAt = Instant.parse("2025-01-31T12:00:00Z");
    assertThat(MandateConstraints.parse(map("duration", "PT8H")).validUntil(CREATED, expiresAt))
        .contains(expiresAt);
  }

  @Test
  void validUntil_isTheDurationEnd_whenItComesBeforeExpiresAt() {
    Instant expiresAt = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(MandateConstraints.parse(map("duration", "PT8H")).validUntil(CREATED, expiresAt))
        .contains(Instant.parse("2025-01-31T18:00:00Z"));
  }

  @Test
  void validUntil_withoutDuration_isExpiresAt() {
    Instant expiresAt = Instant.parse("2026-01-01T00:00:00Z");
    assertThat(MandateConstraints.NONE.validUntil(CREATED, expiresAt)).contains(expiresAt);
  }

  @Test
  void timeWindows_parseZoneDaysAndTimes() {
    TimeWindows windows =
        MandateConstraints.parse(
                map(
                    "time_windows",
                    berlin(
                        window(List.of("MON", "TUE", "WED", "THU", "FRI"), "08:00", "18:00"),
                        window(List.of("SAT"), "22:00", "06:30"),
                        window(List.of("SUN"), "00:00", "24:00"))))
            .timeWindows()
            .orElseThrow();
    assertThat(windows.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(windows.windows()).hasSize(3);
    assertThat(windows.windows().get(0).days())
        .containsExactly(
            DayOfWeek.MONDAY,
            DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY,
            DayOfWeek.FRIDAY);
    assertThat(windows.windows().get(0).startMinute()).isEqualTo(8 * 60);
    assertThat(windows.windows().get(0).endMinute()).isEqualTo(18 * 60);
    assertThat(windows.windows().get(1).crossesMidnight()).isTrue();
    assertThat(windows.windows().get(1).endMinute()).isEqualTo(6 * 60 + 30);
    assertThat(windows.windows().get(2).endMinute()).isEqualTo(24 * 60);
  }

  @Test
  void rateLimit_parsesMaxUsesAndPeriod() {
    RateLimit rateLimit =
        MandateConstraints.parse(map("rate_limit", map("max_uses", 10, "period", "PT1H")))
            .rateLimit()
            .orElseThrow();
    assertThat(rateLimit.maxUses()).isEqualTo(10);
    assertThat(rateLimit.period()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void rateLimit_acceptsWholeNumbersOfAnyJsonNumberType() {
    for (Object maxUses :
        List.of(10L, 10.0, new BigDecimal("10"), new BigDecimal("1E+1"), BigInteger.TEN)) {
      assertThat(
              MandateConstraints.parse(map("rate_limit", map("max_uses", maxUses, "period", "P1D")))
                  .rateLimit()
                  .orElseThrow()
                  .maxUses())
          .as("max_uses %s (%s)", maxUses, maxUses.getClass().getSimpleName())
          .isEqualTo(10);
    }
  }

  @Test
  void rateLimit_windowsAreAlignedToTheEpoch() {
    RateLimit rateLimit = new RateLimit(5, Duration.ofHours(1));
    Instant now = Instant.parse("2025-03-01T09:59:59.999Z");
    assertThat(rateLimit.windowStart(now)).isEqualTo(Instant.parse("2025-03-01T09:00:00Z"));
    assertThat(rateLimit.windowEnd(now)).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
    assertThat(rateLimit.windowStart(Instant.parse("2025-03-01T10:00:00Z")))
        .isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
  }

  @Test
  void maxAmount_acceptsIntegersDecimalsDoublesAndNumericStrings() {
    assertThat(MandateConstraints.parse(map("max_amount", eur(1000))).maxAmount())
        .contains(new Money(new BigDecimal("1000"), "EUR"));
    assertThat(MandateConstraints.parse(map("max_amount", eur(new BigDecimal("12.50")))).maxAmount())
        .contains(new Money(new BigDecimal("12.5"), "EUR"));
    assertThat(MandateConstraints.parse(map("max_amount", eur(0.1))).maxAmount().orElseThrow().amount())
        .isEqualByComparingTo("0.1");
    assertThat(MandateConstraints.parse(map("max_amount", eur("99.999999"))).maxAmount().orElseThrow().amount())
        .isEqualByComparingTo("99.999999");
  }

  @Test
  void amounts_areNormalisedToPrintWithoutExponent() {
    Money money = MandateConstraints.parse(map("max_amount", eur(new BigDecimal("1E+3")))).maxAmount().orElseThrow();
    assertThat(money.amount().toString()).isEqualTo("1000");
    assertThat(money).hasToString("1000 EUR");
  }

  @Test
  void amounts_mayHaveTrailingZerosBeyondSixDecimals() {
    assertThat(MandateConstraints.parse(map("max_amount", eur("1.500000000"))).maxAmount().orElseThrow().amount())
        .isEqualByComparingTo("1.5");
  }

  @Test
  void budget_withoutPeriod_isOneBudgetForTheMandatesLife() {
    Budget budget = MandateConstraints.parse(map("budget", eur(10000))).budget().orElseThrow();
    assertThat(budget.limit()).isEqualTo(new Money(new BigDecimal("10000"), "EUR"));
    assertThat(budget.isPeriodic()).isFalse();
    assertThat(budget.windowStart(Instant.parse("2031-01-01T00:00:00Z")))
        .isEqualTo(Budget.LIFETIME_WINDOW_START);
    assertThat(budget.windowEnd(Instant.parse("2031-01-01T00:00:00Z"))).isNull();
  }

  @Test
  void budget_withPeriod_resetsPerEpochAlignedWindow() {
    Budget budget =
        MandateConstraints.parse(map("budget", map("amount", 500, "currency", "EUR", "period", "P30D")))
            .budget()
            .orElseThrow();
    assertThat(budget.isPeriodic()).isTrue();
    assertThat(budget.period()).isEqualTo(Duration.ofDays(30));
    // 2025-03-01 is day 20148 since the epoch; 20148 - 20148 % 30 = 20130 → 2025-02-11
    assertThat(budget.windowStart(Instant.parse("2025-03-01T12:00:00Z")))
        .isEqualTo(Instant.parse("2025-02-11T00:00:00Z"));
    assertThat(budget.windowEnd(Instant.parse("2025-03-01T12:00:00Z")))
        .isEqualTo(Instant.parse("2025-03-13T00:00:00Z"));
  }

  @Test
  void escalationThreshold_parses() {
    assertThat(MandateConstraints.parse(map("escalation_threshold", eur(5000))).escalationThreshold())
        .contains(new Money(new BigDecimal("5000"), "EUR"));
  }

  @Test
  void amountConstraints_shareOneCurrency() {
    MandateConstraints c =
        MandateConstraints.parse(
            map("max_amount", eur(1000), "budget", eur(10000), "escalation_threshold", eur(500)));
    assertThat(c.hasAmountConstraint()).isTrue();
    assertThat(c.currency()).contains("EUR");
  }

  @Test
  void approvalRequired_parsesABoolean() {
    assertThat(MandateConstraints.parse(map("approval_required", true)).approvalRequired()).isTrue();
    assertThat(MandateConstraints.parse(map("approval_required", false)).approvalRequired()).isFalse();
  }

  @Test
  void mfaRequired_withoutMaxAge_defaultsToFiveMinutes() {
    assertThat(MandateConstraints.parse(map("mfa_required", true)).mfa())
        .contains(new MfaRequirement(Duration.ofMinutes(5)));
  }

  @Test
  void mfaRequired_withMaxAge_usesIt() {
    assertThat(MandateConstraints.parse(map("mfa_required", true, "mfa_max_age", "PT15M")).mfa())
        .contains(new MfaRequirement(Duration.ofMinutes(15)));
  }

  @Test
  void mfaRequired_false_requiresNothing() {
    assertThat(MandateConstraints.parse(map("mfa_required", false)).mfa()).isEmpty();
  }

  @Test
  void extensionKeys_areKeptAndIgnored() {
    MandateConstraints c =
        MandateConstraints.parse(
            map("x_ticket", "JIRA-42", "x_nested", map("a", List.of(1, 2)), "rate_limit",
                map("max_uses", 1, "period", "PT1S")));
    assertThat(c.extensions())
        .containsExactly(
            Map.entry("x_nested", map("a", List.of(1, 2))), Map.entry("x_ticket", "JIRA-42"));
    assertThat(c.rateLimit()).isPresent();
    assertThat(c.hasAmountConstraint()).isFalse();
  }

  @Test
  void extensionKeys_alone_constrainNothing() {
    MandateConstraints c = MandateConstraints.parse(map("x_anything", null));
    assertThat(c.extensions()).containsKey("x_anything");
    assertThat(c.validUntil(CREATED, null)).isEmpty();
    assertThat(c.timeWindows()).isEmpty();
  }

  @Test
  void everyKey_together_parses() {
    MandateConstraints c =
        MandateConstraints.parse(
            map(
                "not_before", "2025-01-01T00:00:00Z",
                "duration", "P90D",
                "time_windows", berlin(window(List.of("MON"), "08:00", "18:00")),
                "rate_limit", map("max_uses", 100, "period", "PT1H"),
                "max_amount", eur(1000),
                "budget", map("amount", 10000, "currency", "EUR", "period", "P30D"),
                "escalation_threshold", eur(500),
                "approval_required", true,
                "mfa_required", true,
                "mfa_max_age", "PT10M"));
    assertThat(c.toString())
        .contains("not_before", "duration", "time_windows", "rate_limit", "max_amount", "budget",
            "escalation_threshold", "approval_required", "mfa_required");
  }

  // ---- invalid forms ----

  static Stream<Arguments> invalidConstraints() {
    Map<String, Object> okWindow = window(List.of("MON"), "08:00", "18:00");
    return Stream.of(
        // unknown and null keys
        arguments(map("max_ammount", eur(1)), "constraints.max_ammount", "unknown constraint"),
        arguments(map("MaxAmount", eur(1)), "constraints.MaxAmount", "unknown constraint"),
        arguments(map("not_before", null), "constraints.not_before", "must not be null"),
        // not_before
        arguments(map("not_before", 1735689600), "constraints.not_before", "must be a string"),
        arguments(map("not_before", "2025-13-01T00:00:00Z"), "constraints.not_before", "RFC 3339"),
        arguments(map("not_before", "2025-01-01"), "constraints.not_before", "RFC 3339"),
        arguments(map("not_before", "2025-01-01T00:00:00"), "constraints.not_before", "RFC 3339"),
        // duration
        arguments(map("duration", "8 hours"), "constraints.duration", "ISO 8601 duration"),
        arguments(map("duration", 3600), "constraints.duration", "must be a string"),
        arguments(map("duration", "P"), "constraints.duration", "ISO 8601 duration"),
        arguments(map("duration", "P1DT"), "constraints.duration", "ISO 8601 duration"),
        arguments(map("duration", "-PT1H"), "constraints.duration", "ISO 8601 duration"),
        arguments(map("duration", "PT-1H"), "constraints.duration", "must not be negative"),
        arguments(map("duration", "P-1D"), "constraints.duration", "must not be negative"),
        arguments(map("duration", "P0D"), "constraints.duration", "must be positive"),
        arguments(map("duration", "P101Y"), "constraints.duration", "at most 100 years"),
        arguments(map("duration", "P999999999Y"), "constraints.duration", "at most 100 years"),
        // time_windows
        arguments(map("time_windows", "08-18"), "constraints.time_windows", "must be an object"),
        arguments(
            map("time_windows", map("windows", List.of(okWindow))),
            "constraints.time_windows.time_zone",
            "is required"),
        arguments(
            map("time_windows", map("time_zone", "Mars/Olympus", "windows", List.of(okWindow))),
            "constraints.time_windows.time_zone",
            "IANA time zone"),
        arguments(
            map("time_windows", map("time_zone", "+02:00", "windows", List.of(okWindow))),
            "constraints.time_windows.time_zone",
            "IANA time zone"),
        arguments(
            map("time_windows", map("time_zone", "Europe/Berlin", "tz", "x", "windows", List.of(okWindow))),
            "constraints.time_windows.tz",
            "unknown key"),
        arguments(
            map("time_windows", map("time_zone", "Europe/Berlin", "windows", List.of())),
            "constraints.time_windows.windows",
            "non-empty array"),
        arguments(
            map("time_windows", map("time_zone", "Europe/Berlin")),
            "constraints.time_windows.windows",
            "is required"),
        arguments(
            map("time_windows", berlin("MON 08-18")),
            "constraints.time_windows.windows[0]",
            "must be an object"),
        arguments(
            map("time_windows", berlin(okWindow, map("start", "08:00", "end", "18:00"))),
            "constraints.time_windows.windows[1].days",
            "is required"),
        arguments(
            map("time_windows", berlin(window(List.of(), "08:00", "18:00"))),
            "constraints.time_windows.windows[0].days",
            "non-empty array"),
        arguments(
            map("time_windows", berlin(window(List.of("MON", "Tue"), "08:00", "18:00"))),
            "constraints.time_windows.windows[0].days[1]",
            "must be one of MON, TUE"),
        arguments(
            map("time_windows", berlin(window(List.of("MON", "MON"), "08:00", "18:00"))),
            "constraints.time_windows.windows[0].days[1]",
            "listed twice"),
        arguments(
            map("time_windows", berlin(window(List.of("MON"), "8:00", "18:00"))),
            "constraints.time_windows.windows[0].start",
            "HH:mm"),
        arguments(
            map("time_windows", berlin(window(List.of("MON"), "24:00", "18:00"))),
            "constraints.time_windows.windows[0].start",
            "00:00..23:59"),
        arguments(
            map("time_windows", berlin(window(List.of("MON"), "08:00", "24:01"))),
            "constraints.time_windows.windows[0].end",
            "00:00..24:00"),
        arguments(
            map("time_windows", berlin(window(List.of("MON"), "08:00", "08:60"))),
            "constraints.time_windows.windows[0].end",
            "HH:mm"),
        arguments(
            map("time_windows", berlin(window(List.of("MON"), "08:00", "08:00"))),
            "constraints.time_windows.windows[0].end",
            "must differ from start"),
        arguments(
            map("time_windows", berlin(map("days", List.of("MON"), "start", "08:00", "end", "18:00", "from", "x"))),
            "constraints.time_windows.windows[0].from",
            "unknown key"),
        // rate_limit
        arguments(map("rate_limit", 10), "constraints.rate_limit", "must be an object"),
        arguments(
            map("rate_limit", map("period", "PT1H")), "constraints.rate_limit.max_uses", "is required"),
        arguments(
            map("rate_limit", map("max_uses", 0, "period", "PT1H")),
            "constraints.rate_limit.max_uses",
            "at least 1"),
        arguments(
            map("rate_limit", map("max_uses", -5, "period", "PT1H")),
            "constraints.rate_limit.max_uses",
            "at least 1"),
        arguments(
            map("rate_limit", map("max_uses", 1.5, "period", "PT1H")),
            "constraints.rate_limit.max_uses",
            "whole number"),
        arguments(
            map("rate_limit", map("max_uses", "10", "period", "PT1H")),
            "constraints.rate_limit.max_uses",
            "whole number"),
        arguments(
            map("rate_limit", map("max_uses", 1e30, "period", "PT1H")),
            "constraints.rate_limit.max_uses",
            "whole number"),
        arguments(
            map("rate_limit", map("max_uses", 10)), "constraints.rate_limit.period", "is required"),
        arguments(
            map("rate_limit", map("max_uses", 10, "period", "PT0.5S")),
            "constraints.rate_limit.period",
            "at least 1 second"),
        arguments(
            map("rate_limit", map("max_uses", 10, "period", "PT1.0005S")),
            "constraints.rate_limit.period",
            "whole number of milliseconds"),
        arguments(
            map("rate_limit", map("max_uses", 10, "period", "P1M")),
            "constraints.rate_limit.period",
            "fixed length"),
        arguments(
            map("rate_limit", map("max_uses", 10, "period", "PT1H", "burst", 5)),
            "constraints.rate_limit.burst",
            "unknown key"),
        // max_amount
        arguments(map("max_amount", 1000), "constraints.max_amount", "must be an object"),
        arguments(map("max_amount", eur(-1)), "constraints.max_amount.amount", "must not be negative"),
        arguments(map("max_amount", eur("-1")), "constraints.max_amount.amount", "must not be negative"),
        arguments(
            map("max_amount", eur(new BigDecimal("1.1234567"))),
            "constraints.max_amount.amount",
            "at most 6 decimal places"),
        arguments(map("max_amount", eur("abc")), "constraints.max_amount.amount", "numeric string"),
        arguments(map("max_amount", eur("1e3")), "constraints.max_amount.amount", "numeric string"),
        arguments(map("max_amount", eur(" 12")), "constraints.max_amount.amount", "numeric string"),
        arguments(map("max_amount", eur(true)), "constraints.max_amount.amount", "numeric string"),
        arguments(map("max_amount", eur(Double.NaN)), "constraints.max_amount.amount", "finite"),
        arguments(
            map("max_amount", eur(new BigDecimal("1E+18"))),
            "constraints.max_amount.amount",
            "less than 10^18"),
        arguments(
            map("max_amount", eur(new BigDecimal("1E+1000000"))),
            "constraints.max_amount.amount",
            "less than 10^18"),
        // precision - scale = 1 - (-2147483647) overflowed int and passed the check; then a 500
        arguments(
            map("max_amount", eur(new BigDecimal("1E+2147483647"))),
            "constraints.max_amount.amount",
            "less than 10^18"),
        arguments(
            map("budget", map("amount", new BigDecimal("9E+2147483647"), "currency", "EUR")),
            "constraints.budget.amount",
            "less than 10^18"),
        arguments(
            map("max_amount", map("currency", "EUR")), "constraints.max_amount.amount", "is required"),
        arguments(
            map("max_amount", map("amount", 1)), "constraints.max_amount.currency", "is required"),
        arguments(
            map("max_amount", map("amount", 1, "currency", "eur")),
            "constraints.max_amount.currency",
            "ISO 4217"),
        arguments(
            map("max_amount", map("amount", 1, "currency", "EURO")),
            "constraints.max_amount.currency",
            "ISO 4217"),
        arguments(
            map("max_amount", map("amount", 1, "currency", "EUR", "period", "P1D")),
            "constraints.max_amount.period",
            "unknown key"),
        // budget
        arguments(map("budget", "10000 EUR"), "constraints.budget", "must be an object"),
        arguments(map("budget", eur(-0.01)), "constraints.budget.amount", "must not be negative"),
        arguments(
            map("budget", map("amount", 1, "currency", "EUR", "period", "P1M")),
            "constraints.budget.period",
            "fixed length"),
        arguments(
            map("budget", map("amount", 1, "currency", "EUR", "period", "PT0S")),
            "constraints.budget.period",
            "must be positive"),
        arguments(
            map("budget", map("amount", 1, "currency", "EUR", "period", 30)),
            "constraints.budget.period",
            "must be a string"),
        arguments(
            map("max_amount", eur(1), "budget", map("amount", 1, "currency", "USD")),
            "constraints.budget.currency",
            "must be EUR, the currency of constraints.max_amount"),
        // escalation_threshold
        arguments(
            map("escalation_threshold", map("amount", "5000.1234567", "currency", "EUR")),
            "constraints.escalation_threshold.amount",
            "at most 6 decimal places"),
        arguments(
            map("budget", eur(1), "escalation_threshold", map("amount", 1, "currency", "CHF")),
            "constraints.escalation_threshold.currency",
            "must be EUR, the currency of constraints.budget"),
        // approval_required, mfa
        arguments(map("approval_required", "true"), "constraints.approval_required", "true or false"),
        arguments(map("mfa_required", 1), "constraints.mfa_required", "true or false"),
        arguments(map("mfa_max_age", "PT5M"), "constraints.mfa_max_age", "only together with"),
        arguments(
            map("mfa_required", false, "mfa_max_age", "PT5M"),
            "constraints.mfa_max_age",
            "only together with"),
        arguments(
            map("mfa_required", true, "mfa_max_age", "soon"),
            "constraints.mfa_max_age",
            "ISO 8601 duration"),
        arguments(
            map("mfa_required", true, "mfa_max_age", "P1M"),
            "constraints.mfa_max_age",
            "fixed length"));
  }

  @ParameterizedTest(name = "[{index}] {1}: {2}")
  @MethodSource("invalidConstraints")
  void parse_rejectsInvalidConstraints_namingTheParam(
      Map<String, Object> constraints, String param, String message) {
    assertThatThrownBy(() -> MandateConstraints.parse(constraints))
        .isInstanceOf(InvalidConstraintsException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> {
              InvalidConstraintsException invalid = (InvalidConstraintsException) e;
              assertThat(invalid.param()).isEqualTo(param);
              assertThat(invalid.getMessage()).startsWith(param + ": ");
              assertThat(invalid.reason()).contains(message);
            });
  }

  @Test
  void unknownKey_isRejectedEvenBesideValidOnes_soATypoNeverGrantsMore() {
    assertThatThrownBy(
            () ->
                MandateConstraints.parse(
                    map("max_amount", eur(1000), "max_amout_per_day", eur(10))))
        .isInstanceOf(InvalidConstraintsException.class)
        .hasMessageContaining("unknown constraint")
        .hasMessageContaining("x_");
  }

  @Test
  void unknownKeys_areReportedInAlphabeticalOrder() {
    assertThatThrownBy(() -> MandateConstraints.parse(map("zeta", 1, "alpha", 2)))
        .satisfies(
            e -> assertThat(((InvalidConstraintsException) e).param()).isEqualTo("constraints.alpha"));
  }

  @Test
  void invalidConstraint_carriesTheOffendingValue() {
    assertThatThrownBy(
            () -> MandateConstraints.parse(map("rate_limit", map("max_uses", 0, "period", "PT1H"))))
        .satisfies(e -> assertThat(((InvalidConstraintsException) e).value()).isEqualTo(0));
  }

  @Test
  void extensions_mayNotHoldSdJwtReservedMemberNames_atAnyDepth() {
    // the constraints are disclosed in a Proof-of-Mandate as granted: a verifier would read these
    for (String reserved : List.of("_sd", "_sd_alg", "...")) {
      assertThatThrownBy(() -> MandateConstraints.parse(map("x_a", map(reserved, 1))))
          .isInstanceOfSatisfying(
              InvalidConstraintsException.class,
              e -> {
                assertThat(e.param()).isEqualTo("constraints.x_a." + reserved);
                assertThat(e.reason()).contains("reserved by SD-JWT");
              });
    }
    assertThatThrownBy(() -> MandateConstraints.parse(map("x_d", List.of(map("k", List.of(map("...", "z")))))))
        .isInstanceOfSatisfying(
            InvalidConstraintsException.class, e -> assertThat(e.param()).isEqualTo("constraints.x_d[0].k[0]...."));
    assertThat(MandateConstraints.parse(map("x_a", map("sd", 1, "_sdx", List.of(map("_sd_", 2))))).extensions())
        .containsKey("x_a");
    assertThat(MandateConstraints.parse(map("x_s", "_sd")).extensions()).as("a value, not a member name").containsKey("x_s");
  }
}
