package com.mandateregistry.query.verification;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reason codes of a DENY, as {@code reason_codes} carries them. They are public API: never
 * rename one. {@code docs/verification.md} lists the same codes with the same meanings.
 */
public final class ReasonCode {

  /** No mandate of the delegate covers the action on the resource. */
  public static final String NO_MATCHING_MANDATE = "NO_MATCHING_MANDATE";

  /** A DENY mandate in force covers the action on the resource; it overrides every ALLOW. */
  public static final String EXPLICIT_DENY = "EXPLICIT_DENY";

  /** The mandate is a DRAFT awaiting approval; it grants nothing yet. */
  public static final String APPROVAL_REQUIRED = "APPROVAL_REQUIRED";

  /** The mandate requires a fresh multi-factor verification, and the context shows none. */
  public static final String MFA_REQUIRED = "MFA_REQUIRED";

  /** The amount is above the escalation threshold; a human must decide (ESCALATION_TRIGGERED). */
  public static final String ESCALATION_REQUIRED = "ESCALATION_REQUIRED";

  /** The mandate is suspended. */
  public static final String MANDATE_SUSPENDED = "MANDATE_SUSPENDED";

  /** The mandate is revoked. */
  public static final String MANDATE_REVOKED = "MANDATE_REVOKED";

  /** The mandate has expired: status EXPIRED, or past expires_at or created_at + duration. */
  public static final String MANDATE_EXPIRED = "MANDATE_EXPIRED";

  /** The mandate's not_before lies in the future. */
  public static final String NOT_YET_VALID = "NOT_YET_VALID";

  /** The time is outside every one of the mandate's time windows. */
  public static final String OUTSIDE_TIME_WINDOW = "OUTSIDE_TIME_WINDOW";

  /** The mandate's rate limit is used up for the current window. */
  public static final String RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED";

  /** The amount is above the mandate's max_amount per transaction. */
  public static final String AMOUNT_EXCEEDED = "AMOUNT_EXCEEDED";

  /** The amount would take the total spent above the mandate's budget. */
  public static final String BUDGET_EXHAUSTED = "BUDGET_EXHAUSTED";

  /** The mandate has an amount constraint and the context lacks amount or currency. */
  public static final String AMOUNT_REQUIRED = "AMOUNT_REQUIRED";

  /** The context's currency is not the currency of the mandate's amount constraints. */
  public static final String CURRENCY_MISMATCH = "CURRENCY_MISMATCH";

  /** Every code with its one-line meaning, in the order of {@code docs/verification.md}. */
  public static final Map<String, String> MEANINGS = meanings();

  private ReasonCode() {}

  private static Map<String, String> meanings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(NO_MATCHING_MANDATE, "no mandate of the delegate covers the action on the resource");
    m.put(EXPLICIT_DENY, "a DENY mandate in force covers the action on the resource");
    m.put(APPROVAL_REQUIRED, "the mandate is a DRAFT awaiting approval");
    m.put(MFA_REQUIRED, "the context shows no fresh multi-factor verification");
    m.put(ESCALATION_REQUIRED, "the amount is above the escalation threshold");
    m.put(MANDATE_SUSPENDED, "the mandate is suspended");
    m.put(MANDATE_REVOKED, "the mandate is revoked");
    m.put(MANDATE_EXPIRED, "the mandate has expired");
    m.put(NOT_YET_VALID, "the mandate's not_before lies in the future");
    m.put(OUTSIDE_TIME_WINDOW, "the time is outside every time window of the mandate");
    m.put(RATE_LIMIT_EXCEEDED, "the rate limit is used up for the current window");
    m.put(AMOUNT_EXCEEDED, "the amount is above max_amount");
    m.put(BUDGET_EXHAUSTED, "the amount would take the total spent above the budget");
    m.put(AMOUNT_REQUIRED, "the context lacks amount or currency");
    m.put(CURRENCY_MISMATCH, "the context's currency is not the mandate's");
    return Collections.unmodifiableMap(m);
  }
}
