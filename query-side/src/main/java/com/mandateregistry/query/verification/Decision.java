package com.mandateregistry.query.verification;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of one verification.
 *
 * @param decision ALLOW or DENY
 * @param mandateId the mandate that allowed, or on DENY the explicit DENY mandate or the allowing
 *     candidate that came closest; null when no mandate matched
 * @param reasonCodes empty on ALLOW, at least one {@link ReasonCode} on DENY
 * @param constraintsRemaining snake_case keys: {@code valid_until}, {@code uses_remaining}, {@code
 *     uses_reset_at}, {@code budget_remaining} ({@code {amount, currency}}), {@code
 *     budget_reset_at}; each present only when it applies. Instants are RFC 3339 strings, amounts
 *     BigDecimal
 * @param escalationTriggered whether an {@code ESCALATION_TRIGGERED} event must be recorded
 */
public record Decision(
    Verdict decision,
    String mandateId,
    List<String> reasonCodes,
    Map<String, Object> constraintsRemaining,
    boolean escalationTriggered) {

  public Decision {
    Objects.requireNonNull(decision, "decision");
    reasonCodes = List.copyOf(reasonCodes);
    constraintsRemaining = Collections.unmodifiableMap(new LinkedHashMap<>(constraintsRemaining));
    if (decision == Verdict.ALLOW && (mandateId == null || !reasonCodes.isEmpty())) {
      throw new IllegalArgumentException("an ALLOW names its mandate and has no reason codes");
    }
    if (decision == Verdict.DENY && reasonCodes.isEmpty()) {
      throw new IllegalArgumentException("a DENY has at least one reason code");
    }
  }

  static Decision allow(String mandateId, Map<String, Object> constraintsRemaining) {
    return new Decision(Verdict.ALLOW, mandateId, List.of(), constraintsRemaining, false);
  }

  static Decision deny(
      String mandateId,
      List<String> reasonCodes,
      Map<String, Object> constraintsRemaining,
      boolean escalationTriggered) {
    return new Decision(
        Verdict.DENY, mandateId, reasonCodes, constraintsRemaining, escalationTriggered);
  }

  /** Whether the decision is ALLOW. */
  public boolean isAllowed() {
    return decision == Verdict.ALLOW;
  }
}
