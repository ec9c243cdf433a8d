package com.mandateregistry.query.verification;

import com.mandateregistry.api.mandate.constraints.Amounts;
import com.mandateregistry.api.web.Timestamps;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;

/**
 * What the decision reads from a request's {@code context}, parsed once per request. Fields that
 * the context does not carry are null. A {@link VerificationRequest}'s context always parses.
 *
 * @param amount {@code context.amount}
 * @param currency {@code context.currency}
 * @param mfaVerified {@code context.mfa.verified}
 * @param mfaMethod {@code context.mfa.method}
 * @param mfaVerifiedAt {@code context.mfa.verified_at}
 */
public record RequestContext(
    BigDecimal amount,
    String currency,
    Boolean mfaVerified,
    String mfaMethod,
    Instant mfaVerifiedAt) {

  /** Longest {@code context.mfa.method} ({@code totp}, {@code webauthn}, …). */
  public static final int MAX_MFA_METHOD_LENGTH = 64;

  /**
   * Parses a context (never null; use {@code Map.of()} for none).
   *
   * @throws InvalidVerificationRequestException naming the offending field
   */
  public static RequestContext parse(Map<String, Object> context) {
    BigDecimal amount = null;
    Object value = context.get("amount");
    if (value != null) {
      try {
        amount = Amounts.parse(value);
      } catch (IllegalArgumentException e) {
        throw new InvalidVerificationRequestException("context.amount", value, e.getMessage());
      }
    }
    String currency = null;
    value = context.get("currency");
    if (value != null) {
      if (!Amounts.isCurrency(value)) {
        throw new InvalidVerificationRequestException(
            "context.currency", value, "must be an ISO 4217 code: three upper-case letters");
      }
      currency = (String) value;
    }
    value = context.get("mfa");
    if (value == null) {
      return new RequestContext(amount, currency, null, null, null);
    }
    if (!(value instanceof Map<?, ?> mfa)) {
      throw new InvalidVerificationRequestException("context.mfa", value, "must be an object");
    }
    Object verified = mfa.get("verified");
    if (verified != null && !(verified instanceof Boolean)) {
      throw new InvalidVerificationRequestException(
          "context.mfa.verified", verified, "must be true or false");
    }
    Object method = mfa.get("method");
    if (method != null && !(method instanceof String)) {
      throw new InvalidVerificationRequestException(
          "context.mfa.method", method, "must be a string");
    }
    if (method != null) {
      // it is recorded in the decision's event
      VerificationRequest.atMost("context.mfa.method", (String) method, MAX_MFA_METHOD_LENGTH);
    }
    Object verifiedAt = mfa.get("verified_at");
    Instant at = null;
    if (verifiedAt != null) {
      try {
        at = Timestamps.parseRfc3339((String) verifiedAt);
      } catch (ClassCastException | DateTimeException e) {
        throw new InvalidVerificationRequestException(
            "context.mfa.verified_at",
            verifiedAt,
            Timestamps.NOT_RFC_3339);
      }
      if (!Timestamps.inRange(at)) {
        throw new InvalidVerificationRequestException(
            "context.mfa.verified_at", verifiedAt, Timestamps.OUT_OF_RANGE);
      }
    }
    return new RequestContext(amount, currency, (Boolean) verified, (String) method, at);
  }
}
