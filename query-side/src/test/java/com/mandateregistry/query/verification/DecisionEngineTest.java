package com.mandateregistry.query.verification;

import static com.mandateregistry.query.verification.MandateFixture.ACTION;
import static com.mandateregistry.query.verification.MandateFixture.DELEGATE;
import static com.mandateregistry.query.verification.MandateFixture.activeMandate;
import static com.mandateregistry.query.verification.MandateFixture.denyMandate;
import static com.mandateregistry.query.verification.MandateFixture.id;
import static com.mandateregistry.query.verification.MandateFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.mandateregistry.api.mandate.MandateStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The decision rules of {@code POST /v1/verify}, one rule per test. Unless a test says otherwise
 * the time is Monday 3 March 2025, 10:00 UTC (11:00 in Berlin), the mandate is {@link
 * MandateFixture#activeMandate()} and the request is {@link MandateFixture#request()}.
 */
class DecisionEngineTest {

  private static final Instant NOW = Instant.parse("2025-03-03T10:00:00Z");

  private static final String MFA_FRESH =
      """
      {"mfa": {"verified": true, "method": "totp", "verified_at": "2025-03-03T09:58:00Z"}}""";

  private static final String EUR_100 = """
      {"amount": 100, "currency": "EUR"}""";

  private final DecisionEngine engine = new DecisionEngine();
  private final InMemoryUsageCounter usage = new InMemoryUsageCounter();

  private Decision decide(MandateSnapshot... mandates) {
    return decide(request(), NOW, mandates);
  }

  private Decision decide(VerificationRequest request, MandateSnapshot... mandates) {
    return decide(request, NOW, mandates);
  }

  private Decision decide(Instant now, MandateSnapshot... mandates) {
    return decide(request(), now, mandates);
  }

  private Decision decide(VerificationRequest request, Instant now, MandateSnapshot... mandates) {
    return engine.decide(List.of(mandates), request, now, usage);
  }

  private static void assertAllowedBy(Decision decision, String mandateId) {
    assertThat(decision.decision()).isEqualTo(Verdict.ALLOW);
    assertThat(decision.mandateId()).isEqualTo(mandateId);
    assertThat(decision.reasonCodes()).isEmpty();
    assertThat(decision.escalationTriggered()).isFalse();
  }

  private static void assertDenied(Decision decision, String mandateId, String... reasonCodes) {
    assertThat(decision.decision()).isEqualTo(Verdict.DENY);
    assertThat(decision.mandateId()).isEqualTo(mandateId);
    assertThat(decision.reasonCodes()).containsExactly(reasonCodes);
  }

  private static MandateSnapshot withConstraints(String json) {
    return activeMandate().constraints(json).build();
  }

  // ---- matching ----

  @Test
  void decide_whenDelegateHasNoMandates_deniesWithNO_MATCHING_MANDATE() {
    assertDenied(decide(), null, ReasonCode.NO_MATCHING_MANDATE);
  }

  @Test
  void decide_whenNoMandateCoversTheAction_deniesWithNO_MATCHING_MANDATE() {
    assertDenied(
        decide(activeMandate().actions("construction.inspection.*").build()),
        null,
        ReasonCode.NO_MATCHING_MANDATE);
  }

  @Test
  void decide_whenNoMandateCoversTheResource_deniesWithNO_MATCHING_MANDATE() {
    assertDenied(
        decide(activeMandate().resources("monco:project:proj_OTHER/**").build()),
        null,
        ReasonCode.NO_MATCHING_MANDATE);
  }

  @Test
  void decide_whenMandateBelongsToAnotherDelegate_ignoresIt() {
    assertDenied(
        decide(activeMandate().delegate("monco:agent:someone-else").build()),
        null,
        ReasonCode.NO_MATCHING_MANDATE);
  }

  @Test
  void decide_whenActiveMandateCoversTheRequest_allowsWithItsId() {
    assertAllowedBy(decide(activeMandate().build()), id(1));
  }

  @Test
  void decide_whenAnyActionAndAnyResourcePatternMatch_allows() {
    MandateSnapshot mandate =
        activeMandate()
            .actions("construction.inspection.*", ACTION)
            .resources("monco:project:proj_OTHER/**", "*/zone:EG/*")
            .build();
    assertAllowedBy(decide(mandate), id(1));
  }

  // ---- explicit DENY ----

  @Test
  void decide_whenDenyMandateInForceMatches_overridesAllowWithEXPLICIT_DENY() {
    assertDenied(
        decide(activeMandate().id(id(1)).build(), denyMandate().id(id(2)).build()),
        id(2),
        ReasonCode.EXPLICIT_DENY);
  }

  @Test
  void decide_whenSeveralDenyMandatesMatch_namesTheLowestId() {
    assertDenied(
        decide(denyMandate().id(id(3)).build(), denyMandate().id(id(2)).build()),
        id(2),
        ReasonCode.EXPLICIT_DENY);
  }

  @Test
  void decide_whenDenyMandateIsSuspended_doesNotOverride() {
    MandateSnapshot deny = denyMandate().id(id(2)).status(MandateStatus.SUSPENDED).build();
    assertAllowedBy(decide(activeMandate().build(), deny), id(1));
  }

  @Test
  void decide_whenDenyMandateHasExpired_doesNotOverride() {
    MandateSnapshot deny = denyMandate().id(id(2)).expiresAt(NOW).build();
    assertAllowedBy(decide(activeMandate().build(), deny), id(1));
  }

  @Test
  void decide_whenDenyMandateIsNotYetValid_doesNotOverride() {
    MandateSnapshot deny =
        denyMandate().id(id(2)).constraints("""
            {"not_before": "2025-03-03T10:00:01Z"}""").build();
    assertAllowedBy(decide(activeMandate().build(), deny), id(1));
  }

  @Test
  void decide_whenDenyMandateHasTimeWindows_deniesOutsideThemToo() {
    // a DENY mandate in force denies whatever its other constraints say: ignoring them can only
    // deny more, never grant more
    MandateSnapshot deny =
        denyMandate()
            .id(id(2))
            .constraints(
                """
                {"time_windows": {"time_zone": "Europe/Berlin",
                  "windows": [{"days": ["SAT"], "start": "00:00", "end": "01:00"}]}}""")
            .build();
    assertDenied(decide(activeMandate().build(), deny), id(2), ReasonCode.EXPLICIT_DENY);
  }

  @Test
  void decide_whenOnlyAnInactiveDenyMandateMatches_deniesWithNO_MATCHING_MANDATE() {
    assertDenied(
        decide(denyMandate().status(MandateStatus.REVOKED).build()),
        null,
        ReasonCode.NO_MATCHING_MANDATE);
  }

  @Test
  void decide_whenDenyMandateCoversAnotherResource_doesNotOverride() {
    MandateSnapshot deny = denyMandate().id(id(2)).resources("monco:project:proj_ABC123/zone:UG/**").build();
    assertAllowedBy(decide(activeMandate().build(), deny), id(1));
  }

  @Test
  void decide_whenExplicitlyDenied_consumesNothing() {
    MandateSnapshot limited = activeMandate().constraints("""
        {"rate_limit": {"max_uses": 1, "period": "PT1H"}}""").build();
    decide(limited, denyMandate().id(id(2)).build());
    assertThat(usage.calls()).isZero();
  }

  // ---- status and validity ----

  @Test
  void decide_whenMandateIsDraft_deniesWithAPPROVAL_REQUIRED() {
    assertDenied(
        decide(activeMandate().status(MandateStatus.DRAFT).build()),
        id(1),
        ReasonCode.APPROVAL_REQUIRED);
  }

  @Test
  void decide_whenMandateSuspended_deniesWithMANDATE_SUSPENDED() {
    assertDenied(
        decide(activeMandate().status(MandateStatus.SUSPENDED).build()),
        id(1),
        ReasonCode.MANDATE_SUSPENDED);
  }

  @Test
  void decide_whenMandateRevoked_deniesWithMANDATE_REVOKED() {
    assertDenied(
        decide(activeMandate().status(MandateStatus.REVOKED).build()),
        id(1),
        ReasonCode.MANDATE_REVOKED);
  }

  @Test
  void decide_whenMandateStatusIsExpired_deniesWithMANDATE_EXPIRED() {
    assertDenied(
        decide(activeMandate().status(MandateStatus.EXPIRED).build()),
        id(1),
        ReasonCode.MANDATE_EXPIRED);
  }

  @Test
  void decide_whenExpiresAtHasPassed_butStatusStillActive_deniesWithMANDATE_EXPIRED() {
    assertDenied(
        decide(activeMandate().expiresAt(NOW.minusSeconds(1)).build()),
        id(1),
        ReasonCode.MANDATE_EXPIRED);
  }

  @Test
  void decide_atExactlyExpiresAt_deniesWithMANDATE_EXPIRED() {
    assertDenied(
        decide(activeMandate().expiresAt(NOW).build()), id(1), ReasonCode.MANDATE_EXPIRED);
  }

  @Test
  void decide_justBeforeExpiresAt_allows() {
    assertAllowedBy(decide(activeMandate().expiresAt(NOW.plusMillis(1)).build()), id(1));
  }

  @Test
  void decide_whenDurationSinceCreationHasPassed_deniesWithMANDATE_EXPIRED() {
    // created 2025-03-01T00:00Z + P2D ends 2025-03-03T00:00Z, before NOW
    assertDenied(decide(withConstraints("""
        {"duration": "P2D"}""")), id(1), ReasonCode.MANDATE_EXPIRED);
  }

  @Test
  void decide_withinDurationSinceCreation_allows() {
    assertAllowedBy(decide(withConstraints("""
        {"duration": "P3D"}""")), id(1));
  }

  @Test
  void decide_beforeNotBefore_deniesWithNOT_YET_VALID() {
    assertDenied(
        decide(withConstraints("""
            {"not_before": "2025-03-03T10:00:00.001Z"}""")),
        id(1),
        ReasonCode.NOT_YET_VALID);
  }

  @Test
  void decide_atExactlyNotBefore_allows() {
    assertAllowedBy(decide(withConstraints("""
        {"not_before": "2025-03-03T11:00:00+01:00"}""")), id(1));
  }

  // ---- time windows ----

  private static final String BERLIN_WEEKDAYS_8_TO_18 =
      """
      {"time_windows": {"time_zone": "Europe/Berlin",
        "windows": [{"days": ["MON", "TUE", "WED", "THU", "FRI"], "start": "08:00", "end": "18:00"}]}}""";

  @Test
  void decide_outsideEveryTimeWindow_deniesWithOUTSIDE_TIME_WINDOW() {
    // Monday 18:00 in Berlin (CET) is 17:00 UTC: the end is exclusive
    assertDenied(
        decide(Instant.parse("2025-03-03T17:00:00Z"), withConstraints(BERLIN_WEEKDAYS_8_TO_18)),
        id(1),
        ReasonCode.OUTSIDE_TIME_WINDOW);
  }

  @Test
  void decide_insideATimeWindow_allows() {
    assertAllowedBy(decide(withConstraints(BERLIN_WEEKDAYS_8_TO_18)), id(1));
  }

  @Test
  void decide_onADayNotListed_deniesWithOUTSIDE_TIME_WINDOW() {
    // Saturday 8 March 2025, 11:00 in Berlin
    assertDenied(
        decide(Instant.parse("2025-03-08T10:00:00Z"), withConstraints(BERLIN_WEEKDAYS_8_TO_18)),
        id(1),
        ReasonCode.OUTSIDE_TIME_WINDOW);
  }

  @Test
  void decide_inWinterTime_0630Utc_isBeforeAn0800BerlinWindow() {
    // Friday 28 March 2025, CET (UTC+1): 06:30 UTC is 07:30 local
    assertDenied(
        decide(Instant.parse("2025-03-28T06:30:00Z"), withConstraints(BERLIN_WEEKDAYS_8_TO_18)),
        id(1),
        ReasonCode.OUTSIDE_TIME_WINDOW);
  }

  @Test
  void decide_afterTheSpringChange_0630Utc_isInsideThe0800BerlinWindow() {
    // Monday 31 March 2025, CEST (UTC+2) since Sunday: 06:30 UTC is 08:30 local
    assertAllowedBy(
        decide(Instant.parse("2025-03-31T06:30:00Z"), withConstraints(BERLIN_WEEKDAYS_8_TO_18)),
        id(1));
  }

  @Test
  void decide_afterTheAutumnChange_1630Utc_isInsideThe1800BerlinWindowAgain() {
    // Friday 24 October 2025 (CEST) 16:30 UTC is 18:30 local: outside; Monday 27 October (CET)
    // 16:30 UTC is 17:30 local: inside
    MandateSnapshot mandate = withConstraints(BERLIN_WEEKDAYS_8_TO_18);
    assertDenied(
        decide(Instant.parse("2025-10-24T16:30:00Z"), mandate),
        id(1),
        ReasonCode.OUTSIDE_TIME_WINDOW);
    assertAllowedBy(decide(Instant.parse("2025-10-27T16:30:00Z"), mandate), id(1));
  }

  @Test
  void decide_inTheRepeatedAutumnHour_windowCoversBothPasses() {
    // Sunday 26 October 2025: 02:00–03:00 local happens twice (00:00–01:00Z CEST, 01:00–02:00Z CET)
    MandateSnapshot mandate =
        withConstraints(
            """
            {"time_windows": {"time_zone": "Europe/Berlin",
              "windows": [{"days": ["SUN"], "start": "02:00", "end": "03:00"}]}}""");
    assertAllowedBy(decide(Instant.parse("2025-10-26T00:30:00Z"), mandate), id(1));
    assertAllowedBy(decide(Instant.parse("2025-10-26T01:30:00Z"), mandate), id(1));
  }

  @Test
  void decide_afterMidnight_inAWindowThatStartedTheEveningBefore_allows() {
    // FRI 22:00–06:00: Saturday 8 March 2025 05:00 in Berlin (04:00 UTC)
    MandateSnapshot nightShift =
        withConstraints(
            """
            {"time_windows": {"time_zone": "Europe/Berlin",
              "windows": [{"days": ["FRI"], "start": "22:00", "end": "06:00"}]}}""");
    assertAllowedBy(decide(Instant.parse("2025-03-08T04:00:00Z"), nightShift), id(1));
  }

  @Test
  void decide_beforeDawnOfAListedDay_inAMidnightCrossingWindow_deniesWithOUTSIDE_TIME_WINDOW() {
    // FRI 22:00–06:00: Friday 7 March 2025 05:00 in Berlin belongs to Thursday's night
    MandateSnapshot nightShift =
        withConstraints(
            """
            {"time_windows": {"time_zone": "Europe/Berlin",
              "windows": [{"days": ["FRI"], "start": "22:00", "end": "06:00"}]}}""");
    assertDenied(
        decide(Instant.parse("2025-03-07T04:00:00Z"), nightShift),
        id(1),
        ReasonCode.OUTSIDE_TIME_WINDOW);
  }

  // ---- MFA ----

  private static final String MFA_REQUIRED = """
      {"mfa_required": true}""";

  @Test
  void decide_whenMfaRequired_andContextHasNone_deniesWithMFA_REQUIRED() {
    assertDenied(decide(withConstraints(MFA_REQUIRED)), id(1), ReasonCode.MFA_REQUIRED);
  }

  @Test
  void decide_whenMfaRequired_andFreshMfaShown_allows() {
    assertAllowedBy(decide(request(MFA_FRESH), withConstraints(MFA_REQUIRED)), id(1));
  }

  @Test
  void decide_whenMfaNotVerified_deniesWithMFA_REQUIRED() {
    VerificationRequest request =
        request("""
            {"mfa": {"verified": false, "method": "totp", "verified_at": "2025-03-03T09:58:00Z"}}""");
    assertDenied(decide(request, withConstraints(MFA_REQUIRED)), id(1), ReasonCode.MFA_REQUIRED);
  }

  @Test
  void decide_whenMfaMethodMissing_deniesWithMFA_REQUIRED() {
    VerificationRequest request =
        request("""
            {"mfa": {"verified": true, "verified_at": "2025-03-03T09:58:00Z"}}""");
    assertDenied(decide(request, withConstraints(MFA_REQUIRED)), id(1), ReasonCode.MFA_REQUIRED);
  }

  @Test
  void decide_whenMfaOlderThanDefaultFiveMinutes_deniesWithMFA_REQUIRED() {
    VerificationRequest request =
        request("""
            {"mfa": {"verified": true, "method": "totp", "verified_at": "2025-03-03T09:54:59Z"}}""");
    assertDenied(decide(request, withConstraints(MFA_REQUIRED)), id(1), ReasonCode.MFA_REQUIRED);
  }

  @Test
  void decide_whenMfaMoreThanAMinuteInTheFuture_deniesWithMFA_REQUIRED() {
    VerificationRequest request =
        request("""
            {"mfa": {"verified": true, "method": "totp", "verified_at": "2025-03-03T10:01:01Z"}}""");
    assertDenied(decide(request, withConstraints(MFA_REQUIRED)), id(1), ReasonCode.MFA_REQUIRED);
  }

  @Test
  void decide_whenMfaWithinConfiguredMaxAge_allows() {
    VerificationRequest request =
        request("""
            {"mfa": {"verified": true, "method": "webauthn", "verified_at": "2025-03-03T09:46:00Z"}}""");
    assertAllowedBy(
        decide(request, withConstraints("""
            {"mfa_required": true, "mfa_max_age": "PT15M"}""")),
        id(1));
  }

  // ---- amounts ----

  @Test
  void decide_whenAmountConstraintAndNoAmount_deniesWithAMOUNT_REQUIRED() {
    assertDenied(
        decide(withConstraints("""
            {"max_amount": {"amount": 1000, "currency": "EUR"}}""")),
        id(1),
        ReasonCode.AMOUNT_REQUIRED);
  }

  @Test
  void decide_whenAmountConstraintAndNoCurrency_deniesWithAMOUNT_REQUIRED() {
    assertDenied(
        decide(request("""
            {"amount": 10}"""), withConstraints("""
            {"budget": {"amount": 1000, "currency": "EUR"}}""")),
        id(1),
        ReasonCode.AMOUNT_REQUIRED);
  }

  @Test
  void decide_whenCurrencyDiffers_deniesWithCURRENCY_MISMATCH() {
    assertDenied(
        decide(request("""
            {"amount": 10, "currency": "USD"}"""), withConstraints("""
            {"max_amount": {"amount": 1000, "currency": "EUR"}}""")),
        id(1),
        ReasonCode.CURRENCY_MISMATCH);
  }

  @Test
  void decide_whenAmountAboveMaxAmount_deniesWithAMOUNT_EXCEEDED() {
    assertDenied(
        decide(request("""
            {"amount": "1000.01", "currency": "EUR"}"""), withConstraints("""
            {"max_amount": {"amount": 1000, "currency": "EUR"}}""")),
        id(1),
        ReasonCode.AMOUNT_EXCEEDED);
  }

  @Test
  void decide_whenAmountEqualsMaxAmount_allows() {
    assertAllowedBy(
        decide(request("""
            {"amount": 1000.00, "currency": "EUR"}"""), withConstraints("""
            {"max_amount": {"amount": 1000, "currency": "EUR"}}""")),
        id(1));
  }

  @Test
  void decide_whenAmountAboveEscalationThreshold_deniesWithESCALATION_REQUIRED_andTriggersEscalation() {
    Decision decision =
        decide(request("""
            {"amount": 5000.01, "currency": "EUR"}"""), withConstraints("""
            {"escalation_threshold": {"amount": 5000, "currency": "EUR"}}"""));
    assertDenied(decision, id(1), ReasonCode.ESCALATION_REQUIRED);
    assertThat(decision.escalationTriggered()).isTrue();
  }

  @Test
  void decide_whenAmountEqualsEscalationThreshold_allowsWithoutEscalation() {
    assertAllowedBy(
        decide(request("""
            {"amount": 5000, "currency": "EUR"}"""), withConstraints("""
            {"escalation_threshold": {"amount": 5000, "currency": "EUR"}}""")),
        id(1));
  }

  @Test
  void decide_whenAmountAboveBothMaxAmountAndThreshold_deniesWithAMOUNT_EXCEEDED_withoutEscalation() {
    Decision decision =
        decide(request("""
            {"amount": 9000, "currency": "EUR"}"""), withConstraints("""
            {"max_amount": {"amount": 8000, "currency": "EUR"},
             "escalation_threshold": {"amount": 5000, "currency": "EUR"}}"""));
    assertDenied(decision, id(1), ReasonCode.AMOUNT_EXCEEDED);
    assertThat(decision.escalationTriggered()).isFalse();
  }

  @Test
  void decide_withoutAmountConstraints_ignoresTheContextAmount() {
    assertAllowedBy(decide(request("""
        {"amount": 1e9, "currency": "XXX"}"""), activeMandate().build()), id(1));
  }

  @Test
  void decide_whenAStatelessCheckFails_consumesNothing() {
    decide(request("""
        {"amount": 2000, "currency": "EUR"}"""), withConstraints("""
        {"max_amount": {"amount": 1000, "currency": "EUR"},
         "rate_limit": {"max_uses": 5, "period": "PT1H"},
         "budget": {"amount": 10000, "currency": "EUR"}}"""));
    assertThat(usage.calls()).isZero();
  }

  @Test
  void decide_withoutStatefulConstraints_neverCallsTheCounter() {
    UsageCounter refusesToBeCalled =
        new UsageCounter() {
          @Override
          public Consumption tryConsume(String mandateId, RateWindow rate, BudgetWindow budget) {
            throw new AssertionError("the counter was called");
          }

          @Override
          public void release(String mandateId, RateWindow rate, BudgetWindow budget) {
            throw new AssertionError("the counter was called");
          }
        };
    Decision decision =
        engine.decide(List.of(activeMandate().build()), request(), NOW, refusesToBeCalled);
    assertAllowedBy(decision, id(1));
  }

  // ---- rate limit ----

  private static final String TWO_PER_HOUR = """
      {"rate_limit": {"max_uses": 2, "period": "PT1H"}}""";

  @Test
  void decide_whenRateLimitUsedUpInTheWindow_deniesWithRATE_LIMIT_EXCEEDED() {
    MandateSnapshot mandate = withConstraints(TWO_PER_HOUR);
    decide(mandate);
    decide(NOW.plusSeconds(60), mandate);
    assertDenied(decide(NOW.plusSeconds(120), mandate), id(1), ReasonCode.RATE_LIMIT_EXCEEDED);
  }

  @Test
  void decide_inTheNextEpochAlignedWindow_allowsAgain() {
    MandateSnapshot mandate = withConstraints(TWO_PER_HOUR);
    decide(Instant.parse("2025-03-03T10:59:58Z"), mandate);
    decide(Instant.parse("2025-03-03T10:59:59Z"), mandate);
    assertAllowedBy(decide(Instant.parse("2025-03-03T11:00:00Z"), mandate), id(1));
  }

  @Test
  void decide_withRateLimit_reportsUsesRemainingAndWhenTheyReset() {
    MandateSnapshot mandate = withConstraints(TWO_PER_HOUR);
    assertThat(decide(Instant.parse("2025-03-03T10:15:00Z"), mandate).constraintsRemaining())
        .containsExactly(
            Map.entry("uses_remaining", 1L), Map.entry("uses_reset_at", "2025-03-03T11:00:00Z"));
    assertThat(decide(Instant.parse("2025-03-03T10:16:00Z"), mandate).constraintsRemaining())
        .containsEntry("uses_remaining", 0L);
  }

  @Test
  void decide_withAWeeklyRateLimit_resetsOnThursday_theEpochsWeekday() {
    MandateSnapshot mandate = withConstraints("""
        {"rate_limit": {"max_uses": 1, "period": "P1W"}}""");
    // Monday 2025-03-03: the window began on Thursday 2025-02-27 and ends on Thursday 2025-03-06
    assertThat(decide(Instant.parse("2025-03-03T10:00:00Z"), mandate).constraintsRemaining())
        .containsEntry("uses_reset_at", "2025-03-06T00:00:00Z");
    assertDenied(decide(Instant.parse("2025-03-05T23:59:59Z"), mandate), id(1), ReasonCode.RATE_LIMIT_EXCEEDED);
    assertAllowedBy(decide(Instant.parse("2025-03-06T00:00:00Z"), mandate), id(1));
  }

  @Test
  void decide_whenRateLimited_reportsNoUsesRemaining() {
    MandateSnapshot mandate = withConstraints("""
        {"rate_limit": {"max_uses": 1, "period": "PT1H"}}""");
    decide(mandate);
    assertThat(decide(mandate).constraintsRemaining()).containsEntry("uses_remaining", 0L);
  }

  // ---- budget ----

  private static final String BUDGET_250 = """
      {"budget": {"amount": 250, "currency": "EUR"}}""";

  @Test
  void decide_whenAmountWouldExceedTheBudget_deniesWithBUDGET_EXHAUSTED() {
    MandateSnapshot mandate = withConstraints(BUDGET_250);
    decide(request(EUR_100), mandate);
    decide(request(EUR_100), mandate);
    assertDenied(decide(request(EUR_100), mandate), id(1), ReasonCode.BUDGET_EXHAUSTED);
  }

  @Test
  void decide_withBudget_reportsWhatIsLeftAfterThisAmount() {
    MandateSnapshot mandate = withConstraints(BUDGET_250);
    decide(request(EUR_100), mandate);
    Decision decision = decide(request("""
        {"amount": "99.50", "currency": "EUR"}"""), mandate);
    assertThat(decision.constraintsRemaining()).containsOnlyKeys("budget_remaining");
    @SuppressWarnings("unchecked")
    Map<String, Object> left = (Map<String, Object>) decision.constraintsRemaining().get("budget_remaining");
    assertThat(left).containsOnlyKeys("amount", "currency").containsEntry("currency", "EUR");
    assertThat((BigDecimal) left.get("amount")).isEqualByComparingTo("50.5");
  }

  @Test
  void decide_whenBudgetExhausted_afterDenial_aSmallerAmountThatFits_isAllowed() {
    MandateSnapshot mandate = withConstraints(BUDGET_250);
    decide(request("""
        {"amount": 200, "currency": "EUR"}"""), mandate);
    decide(request(EUR_100), mandate);
    assertAllowedBy(decide(request("""
        {"amount": 50, "currency": "EUR"}"""), mandate), id(1));
  }

  @Test
  void decide_withPeriodicBudget_resetsInTheNextWindow() {
    MandateSnapshot mandate = withConstraints("""
        {"budget": {"amount": 100, "currency": "EUR", "period": "P1D"}}""");
    decide(request(EUR_100), mandate);
    assertDenied(decide(request(EUR_100), mandate), id(1), ReasonCode.BUDGET_EXHAUSTED);
    Decision nextDay = decide(request(EUR_100), Instant.parse("2025-03-04T00:00:00Z"), mandate);
    assertAllowedBy(nextDay, id(1));
    assertThat(nextDay.constraintsRemaining())
        .containsEntry("budget_reset_at", "2025-03-05T00:00:00Z");
  }

  @Test
  void decide_withLifetimeBudget_neverResets() {
    MandateSnapshot mandate = withConstraints("""
        {"budget": {"amount": 100, "currency": "EUR"}}""");
    decide(request(EUR_100), mandate);
    assertDenied(
        decide(request(EUR_100), Instant.parse("2026-03-03T10:00:00Z"), mandate),
        id(1),
        ReasonCode.BUDGET_EXHAUSTED);
  }

  @Test
  void decide_whenBudgetRefuses_noUseOfTheRateLimitIsConsumed() {
    MandateSnapshot mandate = withConstraints("""
        {"rate_limit": {"max_uses": 3, "period": "PT1H"},
         "budget": {"amount": 150, "currency": "EUR"}}""");
    decide(request(EUR_100), mandate);
    Decision refused = decide(request(EUR_100), mandate);
    assertDenied(refused, id(1), ReasonCode.BUDGET_EXHAUSTED);
    assertThat(refused.constraintsRemaining()).containsEntry("uses_remaining", 2L);
    assertThat(usage.usesIn(id(1), Instant.parse("2025-03-03T10:00:00Z"))).isEqualTo(1);
  }

  @Test
  void decide_whenRateLimitAndBudgetBothExhausted_reportsBoth() {
    MandateSnapshot mandate = withConstraints("""
        {"rate_limit": {"max_uses": 1, "period": "PT1H"},
         "budget": {"amount": 100, "currency": "EUR"}}""");
    decide(request(EUR_100), mandate);
    assertDenied(
        decide(request(EUR_100), mandate),
        id(1),
        ReasonCode.RATE_LIMIT_EXCEEDED,
        ReasonCode.BUDGET_EXHAUSTED);
  }

  // ---- order of the checks ----

  @Test
  void checks_statusComesBeforeExpiry() {
    assertDenied(
        decide(activeMandate().status(MandateStatus.SUSPENDED).expiresAt(NOW.minusSeconds(1)).build()),
        id(1),
        ReasonCode.MANDATE_SUSPENDED);
  }

  @Test
  void checks_expiryComesBeforeNotBefore() {
    assertDenied(
        decide(activeMandate().expiresAt(NOW).constraints("""
            {"not_before": "2030-01-01T00:00:00Z"}""").build()),
        id(1),
        ReasonCode.MANDATE_EXPIRED);
  }

  @Test
  void checks_notBeforeComesBeforeTimeWindows() {
    assertDenied(
        decide(Instant.parse("2025-03-08T10:00:00Z"), withConstraints("""
            {"not_before": "2030-01-01T00:00:00Z",
             "time_windows": {"time_zone": "Europe/Berlin",
               "windows": [{"days": ["MON"], "start": "08:00", "end": "18:00"}]}}""")),
        id(1),
        ReasonCode.NOT_YET_VALID);
  }

  @Test
  void checks_timeWindowsComeBeforeMfa() {
    assertDenied(
        decide(Instant.parse("2025-03-08T10:00:00Z"), withConstraints("""
            {"mfa_required": true,
             "time_windows": {"time_zone": "Europe/Berlin",
               "windows": [{"days": ["MON"], "start": "08:00", "end": "18:00"}]}}""")),
        id(1),
        ReasonCode.OUTSIDE_TIME_WINDOW);
  }

  @Test
  void checks_mfaComesBeforeAmountPresence() {
    assertDenied(
        decide(withConstraints("""
            {"mfa_required": true, "max_amount": {"amount": 1, "currency": "EUR"}}""")),
        id(1),
        ReasonCode.MFA_REQUIRED);
  }

  @Test
  void checks_currencyComesBeforeMaxAmount() {
    assertDenied(
        decide(request("""
            {"amount": 5000, "currency": "USD"}"""), withConstraints("""
            {"max_amount": {"amount": 1, "currency": "EUR"}}""")),
        id(1),
        ReasonCode.CURRENCY_MISMATCH);
  }

  // ---- several candidates ----

  @Test
  void decide_whenSeveralMandatesAllow_theLowestIdAllows_whateverTheInputOrder() {
    assertAllowedBy(
        decide(activeMandate().id(id(3)).build(), activeMandate().id(id(2)).build()), id(2));
  }

  @Test
  void decide_whenTheFirstCandidateFails_theNextOneAllows() {
    assertAllowedBy(
        decide(
            activeMandate().id(id(1)).status(MandateStatus.SUSPENDED).build(),
            activeMandate().id(id(2)).build()),
        id(2));
  }

  @Test
  void decide_whenTheFirstCandidateIsRateLimited_theNextOneAllows_andOnlyItsCounterMoves() {
    MandateSnapshot limited = activeMandate().id(id(1)).constraints("""
        {"rate_limit": {"max_uses": 1, "period": "PT1H"}}""").build();
    MandateSnapshot other = activeMandate().id(id(2)).constraints("""
        {"rate_limit": {"max_uses": 5, "period": "PT1H"}}""").build();
    assertAllowedBy(decide(limited, other), id(1));
    Decision second = decide(limited, other);
    assertAllowedBy(second, id(2));
    assertThat(second.constraintsRemaining()).containsEntry("uses_remaining", 4L);
    assertThat(usage.usesIn(id(1), Instant.parse("2025-03-03T10:00:00Z"))).isEqualTo(1);
  }

  @Test
  void decide_whenNoCandidatePasses_namesTheOneThatGotFurthest() {
    MandateSnapshot suspended = activeMandate().id(id(1)).status(MandateStatus.SUSPENDED).build();
    MandateSnapshot needsMfa = activeMandate().id(id(2)).constraints(MFA_REQUIRED).build();
    MandateSnapshot notYet = activeMandate().id(id(3)).constraints("""
        {"not_before": "2030-01-01T00:00:00Z"}""").build();
    assertDenied(decide(suspended, needsMfa, notYet), id(2), ReasonCode.MFA_REQUIRED);
  }

  @Test
  void decide_whenCandidatesGotEquallyFar_namesTheLowestId() {
    assertDenied(
        decide(
            activeMandate().id(id(2)).status(MandateStatus.REVOKED).build(),
            activeMandate().id(id(1)).status(MandateStatus.SUSPENDED).build()),
        id(1),
        ReasonCode.MANDATE_SUSPENDED);
  }

  @Test
  void decide_whenAnotherCandidateGotFurtherThanTheEscalatingOne_doesNotTriggerEscalation() {
    MandateSnapshot escalates = activeMandate().id(id(1)).constraints("""
        {"escalation_threshold": {"amount": 50, "currency": "EUR"}}""").build();
    MandateSnapshot spent = activeMandate().id(id(2)).constraints("""
        {"budget": {"amount": 10, "currency": "EUR"}}""").build();
    Decision decision = decide(request(EUR_100), escalates, spent);
    assertDenied(decision, id(2), ReasonCode.BUDGET_EXHAUSTED);
    assertThat(decision.escalationTriggered()).isFalse();
  }

  @Test
  void decide_whenTheEscalatingCandidateGotFurthest_triggersEscalation() {
    MandateSnapshot escalates = activeMandate().id(id(2)).constraints("""
        {"escalation_threshold": {"amount": 50, "currency": "EUR"}}""").build();
    MandateSnapshot tooSmall = activeMandate().id(id(1)).constraints("""
        {"max_amount": {"amount": 10, "currency": "EUR"}}""").build();
    Decision decision = decide(request(EUR_100), tooSmall, escalates);
    assertDenied(decision, id(2), ReasonCode.ESCALATION_REQUIRED);
    assertThat(decision.escalationTriggered()).isTrue();
  }

  @Test
  void decide_whenOneCandidateEscalatesAndAnotherAllows_allowsWithoutEscalation() {
    MandateSnapshot escalates = activeMandate().id(id(1)).constraints("""
        {"escalation_threshold": {"amount": 50, "currency": "EUR"}}""").build();
    assertAllowedBy(decide(request(EUR_100), escalates, activeMandate().id(id(2)).build()), id(2));
  }

  // ---- constraints_remaining ----

  @Test
  void decide_withoutConstraintsOrExpiry_reportsNothingRemaining() {
    assertThat(decide(activeMandate().build()).constraintsRemaining()).isEmpty();
  }

  @Test
  void decide_reportsValidUntil_asTheEarlierOfExpiresAtAndDuration() {
    MandateSnapshot mandate =
        activeMandate()
            .expiresAt(Instant.parse("2030-01-01T00:00:00Z"))
            .constraints("""
                {"duration": "P30D"}""")
            .build();
    assertThat(decide(mandate).constraintsRemaining())
        .containsExactly(Map.entry("valid_until", "2025-03-31T00:00:00Z"));
  }

  @Test
  void decide_withEveryStatefulConstraint_reportsTheKeysInOrder() {
    MandateSnapshot mandate =
        activeMandate()
            .expiresAt(Instant.parse("2030-01-01T00:00:00Z"))
            .constraints("""
                {"rate_limit": {"max_uses": 10, "period": "PT1H"},
                 "budget": {"amount": 1000, "currency": "EUR", "period": "P30D"}}""")
            .build();
    assertThat(decide(request(EUR_100), mandate).constraintsRemaining())
        .containsOnlyKeys(
            "valid_until", "uses_remaining", "uses_reset_at", "budget_remaining", "budget_reset_at")
        .extractingByKeys("valid_until", "uses_remaining", "uses_reset_at", "budget_reset_at")
        .containsExactly(
            "2030-01-01T00:00:00Z", 9L, "2025-03-03T11:00:00Z", "2025-03-13T00:00:00Z");
  }

  @Test
  void decide_whenDeniedByAStatelessCheck_reportsNothingRemaining() {
    assertThat(decide(activeMandate().status(MandateStatus.SUSPENDED).build()).constraintsRemaining())
        .isEmpty();
  }

  @Test
  void decision_isImmutable() {
    Decision decision = decide(withConstraints(TWO_PER_HOUR));
    assertThat(decision.constraintsRemaining()).isUnmodifiable();
    assertThat(decision.reasonCodes()).isUnmodifiable();
  }

  // ---- concurrency ----

  @Test
  void decide_fromFiftyThreadsAtOnce_withMaxUsesTen_allowsExactlyTen() throws Exception {
    MandateSnapshot mandate = withConstraints("""
        {"rate_limit": {"max_uses": 10, "period": "PT1H"}}""");
    List<Decision> decisions =
        UsageCounterContractTest.concurrently(
            50, () -> engine.decide(List.of(mandate), request(), NOW, usage));
    assertThat(decisions).filteredOn(Decision::isAllowed).hasSize(10);
    assertThat(decisions)
        .filteredOn(d -> !d.isAllowed())
        .hasSize(40)
        .allSatisfy(d -> assertThat(d.reasonCodes()).containsExactly(ReasonCode.RATE_LIMIT_EXCEEDED));
  }

  @Test
  void decide_fromFiftyThreadsAtOnce_neverSpendsMoreThanTheBudget() throws Exception {
    MandateSnapshot mandate = withConstraints(BUDGET_250);
    List<Decision> decisions =
        UsageCounterContractTest.concurrently(
            50, () -> engine.decide(List.of(mandate), request("""
                {"amount": 30, "currency": "EUR"}"""), NOW, usage));
    assertThat(decisions).filteredOn(Decision::isAllowed).hasSize(8); // 8 × 30 = 240
    assertThat(usage.spentIn(id(1), Instant.EPOCH)).isEqualByComparingTo("240");
  }

  // ---- authoritative status ----

  private Decision decideWithAuthority(MandateAuthority authority, MandateSnapshot... mandates) {
    return engine.decide(List.of(mandates), request(), NOW, usage, authority);
  }

  @Test
  void decide_whenAuthoritySaysSuspended_deniesWithMANDATE_SUSPENDED_andConsumesNothing() {
    MandateSnapshot staleActive = withConstraints(TWO_PER_HOUR);
    Decision decision =
        decideWithAuthority(m -> Optional.of(MandateStatus.SUSPENDED), staleActive);
    assertDenied(decision, id(1), ReasonCode.MANDATE_SUSPENDED);
    assertThat(usage.calls()).isZero();
  }

  @Test
  void decide_whenAuthorityKnowsNothing_trustsTheSnapshot() {
    assertAllowedBy(decideWithAuthority(MandateAuthority.SNAPSHOT, activeMandate().build()), id(1));
  }

  @Test
  void decide_whenAuthoritySaysTheFirstCandidateIsRevoked_theNextOneAllows() {
    MandateAuthority firstRevoked =
        m -> Optional.of(m.mandateId().equals(id(1)) ? MandateStatus.REVOKED : MandateStatus.ACTIVE);
    assertAllowedBy(
        decideWithAuthority(firstRevoked, activeMandate().id(id(1)).build(), activeMandate().id(id(2)).build()),
        id(2));
  }

  @Test
  void decide_asksTheAuthorityOnlyForCandidatesThatPassedTheStatelessChecks() {
    List<String> asked = new ArrayList<>();
    MandateAuthority recording =
        m -> {
          asked.add(m.mandateId());
          return Optional.empty();
        };
    decideWithAuthority(
        recording,
        activeMandate().id(id(1)).status(MandateStatus.SUSPENDED).build(),
        activeMandate().id(id(2)).build(),
        activeMandate().id(id(3)).build());
    assertThat(asked).containsExactly(id(2));
  }

  // ---- request ----

  @Test
  void decide_usesTheRequestsDelegate_notAnother() {
    VerificationRequest other =
        VerificationRequest.of("monco:agent:other", ACTION, MandateFixture.RESOURCE, Map.of());
    assertThat(DELEGATE).isNotEqualTo("monco:agent:other");
    assertDenied(decide(other, activeMandate().build()), null, ReasonCode.NO_MATCHING_MANDATE);
  }
}
