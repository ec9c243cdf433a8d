package com.mandateregistry.api.mandate.constraints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small values the constraints are made of: durations, amounts, MFA freshness. */
class ValuesTest {

  private static final Instant NOW = Instant.parse("2025-03-03T10:00:00Z");

  @ParameterizedTest
  @CsvSource({"PT8H, PT8H", "P30D, PT720H", "P1W, PT168H", "P1DT12H, PT36H", "PT0.5S, PT0.5S"})
  void isoDuration_withoutYearsOrMonths_hasAFixedLength(String text, Duration length) {
    IsoDuration duration = IsoDuration.parse(text);
    assertThat(duration.isFixedLength()).isTrue();
    assertThat(duration.toDuration()).isEqualTo(length);
    assertThat(duration).hasToString(text);
  }

  @Test
  void isoDuration_withMonths_hasNoFixedLength() {
    IsoDuration duration = IsoDuration.parse("P1M");
    assertThat(duration.isFixedLength()).isFalse();
    assertThatThrownBy(duration::toDuration).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void isoDuration_ofOneHundredYears_isTheLongestAccepted() {
    assertThat(IsoDuration.parse("P100Y").addTo(Instant.EPOCH))
        .isEqualTo(Instant.parse("2070-01-01T00:00:00Z"));
    assertThatThrownBy(() -> IsoDuration.parse("P36526D"))
        .hasMessageContaining("at most 100 years");
  }

  @Test
  void amounts_fromEveryJsonNumberType_areEqual() {
    assertThat(Amounts.parse(12)).isEqualByComparingTo("12");
    assertThat(Amounts.parse(12L)).isEqualByComparingTo("12");
    assertThat(Amounts.parse(12.0)).isEqualByComparingTo("12");
    assertThat(Amounts.parse("12.000")).isEqualByComparingTo("12");
    assertThat(Amounts.parse(new BigDecimal("0.000001"))).isEqualByComparingTo("0.000001");
    assertThat(Amounts.parse(0)).isEqualByComparingTo("0");
  }

  @Test
  void amounts_rejectAHugeNumericStringQuickly() {
    assertThatThrownBy(() -> Amounts.parse("9".repeat(10_000)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void currency_isThreeUpperCaseAsciiLetters() {
    assertThat(Amounts.isCurrency("EUR")).isTrue();
    assertThat(Amounts.isCurrency("eur")).isFalse();
    assertThat(Amounts.isCurrency("EU")).isFalse();
    assertThat(Amounts.isCurrency("ÄUR")).isFalse();
    assertThat(Amounts.isCurrency(978)).isFalse();
    assertThat(Amounts.isCurrency(null)).isFalse();
  }

  @ParameterizedTest(name = "verified at {0} → {1}")
  @CsvSource({
    "2025-03-03T09:55:00Z, true", //  exactly max age old
    "2025-03-03T09:54:59.999Z, false", // just older
    "2025-03-03T10:01:00Z, true", //  one minute in the future: clock skew
    "2025-03-03T10:01:00.001Z, false" // further in the future
  })
  void mfa_isFresh_withinMaxAgeAndOneMinuteOfSkew(Instant verifiedAt, boolean fresh) {
    assertThat(new MfaRequirement(Duration.ofMinutes(5)).isFresh(verifiedAt, NOW)).isEqualTo(fresh);
  }
}
