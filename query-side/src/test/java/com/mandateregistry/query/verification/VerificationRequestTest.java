package com.mandateregistry.query.verification;

import static com.mandateregistry.query.verification.MandateFixture.ACTION;
import static com.mandateregistry.query.verification.MandateFixture.DELEGATE;
import static com.mandateregistry.query.verification.MandateFixture.RESOURCE;
import static com.mandateregistry.query.verification.MandateFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Request validation: a malformed request is a 400 naming its field, never a DENY. */
class VerificationRequestTest {

  @Test
  void of_withoutContext_hasAnEmptyContext() {
    VerificationRequest request = VerificationRequest.of(DELEGATE, ACTION, RESOURCE, null);
    assertThat(request.context()).isEmpty();
  }

  @Test
  void of_keepsUnknownContextKeys() {
    VerificationRequest request =
        VerificationRequest.of(DELEGATE, ACTION, RESOURCE, json("""
            {"ip": "10.0.0.1", "note": null}"""));
    assertThat(request.context()).containsEntry("ip", "10.0.0.1").containsKey("note");
  }

  @Test
  void of_copiesTheContext() {
    Map<String, Object> context = new HashMap<>(Map.of("amount", 1, "currency", "EUR"));
    VerificationRequest request = VerificationRequest.of(DELEGATE, ACTION, RESOURCE, context);
    context.put("amount", "not a number");
    assertThat(request.context()).containsEntry("amount", 1).isUnmodifiable();
  }

  @Test
  void of_acceptsAWellFormedMfaBlockAndAmount() {
    VerificationRequest request =
        VerificationRequest.of(DELEGATE, ACTION, RESOURCE, json("""
            {"amount": "12.50", "currency": "EUR",
             "mfa": {"verified": true, "method": "totp", "verified_at": "2025-03-03T09:58:00+01:00"}}"""));
    assertThat(request.context()).containsKeys("amount", "currency", "mfa");
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        arguments(null, ACTION, RESOURCE, "{}", "delegate_subject_id", "is required"),
        arguments("  ", ACTION, RESOURCE, "{}", "delegate_subject_id", "must not be blank"),
        arguments("\u2003", ACTION, RESOURCE, "{}", "delegate_subject_id", "must not be blank"),
        arguments(DELEGATE, null, RESOURCE, "{}", "action", "is required"),
        arguments(DELEGATE, "", RESOURCE, "{}", "action", "must not be blank"),
        arguments(DELEGATE, "construction.validation.*", RESOURCE, "{}", "action", "'*'"),
        arguments(DELEGATE, "Construction.approve", RESOURCE, "{}", "action", "upper-case"),
        arguments(DELEGATE, "construction..approve", RESOURCE, "{}", "action", "empty segment"),
        arguments(DELEGATE, ACTION, null, "{}", "resource", "is required"),
        arguments(DELEGATE, ACTION, " ", "{}", "resource", "must not be blank"),
        arguments(DELEGATE, ACTION, "\u3000", "{}", "resource", "must not be blank"),
        arguments(DELEGATE, ACTION, "docs/cafe\u0301/x", "{}", "resource", "Normalization Form C"),
        arguments("agent:jose\u0301", ACTION, RESOURCE, "{}", "delegate_subject_id", "Normalization Form C"),
        arguments(DELEGATE, ACTION, "monco:project:p/**", "{}", "resource", "'*'"),
        arguments(DELEGATE, ACTION, "monco:project:p//zone", "{}", "resource", "is empty"),
        arguments(DELEGATE, ACTION, "monco:project:p/", "{}", "resource", "is empty"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"amount": "ten"}""", "context.amount", "numeric string"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"amount": -5}""", "context.amount", "must not be negative"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"amount": 0.0000001}""", "context.amount", "at most 6 decimal places"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"amount": {"value": 5}}""", "context.amount", "numeric string"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"currency": "eur"}""", "context.currency", "ISO 4217"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"currency": 978}""", "context.currency", "ISO 4217"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"mfa": true}""", "context.mfa", "must be an object"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"mfa": {"verified": "yes"}}""", "context.mfa.verified", "true or false"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"mfa": {"method": 2}}""", "context.mfa.method", "must be a string"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"mfa": {"verified_at": "yesterday"}}""", "context.mfa.verified_at", "RFC 3339"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"mfa": {"verified_at": 1741000000}}""", "context.mfa.verified_at", "RFC 3339"),
        arguments("d".repeat(513), ACTION, RESOURCE, "{}", "delegate_subject_id", "at most 512 characters, not 513"),
        arguments(DELEGATE, "a" + ".b".repeat(256), RESOURCE, "{}", "action", "at most 512 characters, not 513"),
        arguments(DELEGATE, ACTION, "r" + "/s".repeat(1024), "{}", "resource", "at most 2048 characters, not 2049"),
        arguments(DELEGATE, ACTION, RESOURCE, """
            {"mfa": {"method": "%s"}}""".formatted("m".repeat(65)), "context.mfa.method", "at most 64 characters"));
  }

  @Test
  void of_acceptsEachFieldAtItsLongest() {
    VerificationRequest request = VerificationRequest.of(
        "d".repeat(512), "a" + ".b".repeat(255) + "c", "r" + "/s".repeat(1023) + "t",
        json("""
            {"mfa": {"method": "%s"}}""".formatted("m".repeat(64))));
    assertThat(request.delegateSubjectId()).hasSize(512);
    assertThat(request.action()).hasSize(512);
    assertThat(request.resource()).hasSize(2048);
  }

  /**
   * An exponent near the int range, as the service's JSON reader gives it (numbers with a fraction
   * or exponent as BigDecimal): its digit count overflowed int and passed the 10^18 check, and
   * normalising it then threw an ArithmeticException, a 500.
   */
  @Test
  void anAmountWithAnExponentNearTheIntRange_isRefusedAsTooLarge() {
    for (String amount : List.of("1E+2147483647", "9.99E+2147483647")) {
      assertThatThrownBy(() -> VerificationRequest.of(DELEGATE, ACTION, RESOURCE,
              Map.of("amount", new java.math.BigDecimal(amount), "currency", "EUR")))
          .as(amount)
          .isInstanceOfSatisfying(InvalidVerificationRequestException.class,
              e -> assertThat(e.param()).isEqualTo("context.amount"))
          .hasMessageContaining("less than 10^18");
    }
  }

  @ParameterizedTest(name = "[{index}] {4}: {5}")
  @MethodSource("invalidRequests")
  void of_rejectsAMalformedRequest_namingTheField(
      String delegate, String action, String resource, String context, String param, String message) {
    assertThatThrownBy(() -> VerificationRequest.of(delegate, action, resource, json(context)))
        .isInstanceOf(InvalidVerificationRequestException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .satisfies(
            e -> {
              InvalidVerificationRequestException invalid = (InvalidVerificationRequestException) e;
              assertThat(invalid.param()).isEqualTo(param);
              assertThat(invalid.reason()).contains(message);
            });
  }

  @Test
  void constructor_validatesLikeTheFactory() {
    assertThatThrownBy(() -> new VerificationRequest(DELEGATE, "BAD", RESOURCE, Map.of()))
        .isInstanceOf(InvalidVerificationRequestException.class);
  }
}
