package com.mandateregistry.api.mandate.scope;

import java.util.List;

/** A scope with at least one invalid pattern; carries every violation, in the order of the lists. */
public class InvalidScopeException extends IllegalArgumentException {

  private final transient List<PatternViolation> violations;

  public InvalidScopeException(List<PatternViolation> violations) {
    super(
        violations.isEmpty()
            ? "invalid scope"
            : violations.get(0).param() + ": " + violations.get(0).message());
    this.violations = List.copyOf(violations);
  }

  /** Every invalid entry; never empty when thrown by {@link ScopePatterns#validate}. */
  public List<PatternViolation> violations() {
    return violations;
  }
}
