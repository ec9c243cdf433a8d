package com.mandateregistry.query.verification;

/** A stateful constraint that could not be consumed; the order is the order of reason codes. */
public enum UsageRefusal {
  /** The rate window has no use left. */
  RATE_LIMIT_EXCEEDED(ReasonCode.RATE_LIMIT_EXCEEDED),
  /** The amount does not fit in what is left of the budget window. */
  BUDGET_EXHAUSTED(ReasonCode.BUDGET_EXHAUSTED);

  private final String reasonCode;

  UsageRefusal(String reasonCode) {
    this.reasonCode = reasonCode;
  }

  /** The reason code of a DENY caused by this refusal. */
  public String reasonCode() {
    return reasonCode;
  }
}
