package com.mandateregistry.api.mandate;

/**
 * Lifecycle states of a mandate.
 *
 * <p>ACTIVE and SUSPENDED switch back and forth; either may become REVOKED, which is final; an
 * ACTIVE or SUSPENDED mandate becomes EXPIRED at its {@code expires_at}. DRAFT is reserved for
 * mandates that await approval.
 */
public enum MandateStatus {
  DRAFT,
  ACTIVE,
  SUSPENDED,
  REVOKED,
  EXPIRED;

  /** Whether no further transition can leave this state. */
  public boolean isFinal() {
    return this == REVOKED || this == EXPIRED;
  }
}
