package com.mandateregistry.api.mandate;

import java.util.Map;

/**
 * Lifecycle states of a mandate.
 *
 * <p>ACTIVE and SUSPENDED switch back and forth; either may become REVOKED, which is final; an
 * ACTIVE or SUSPENDED mandate becomes EXPIRED at its {@code expires_at}. A mandate created with
 * {@code constraints.approval_required: true} starts as DRAFT and grants nothing until approved
 * (DRAFT → ACTIVE); a DRAFT mandate may also be revoked or expire.
 */
public enum MandateStatus {
  DRAFT,
  ACTIVE,
  SUSPENDED,
  REVOKED,
  EXPIRED;

  /** The status a mandate with these constraints starts in: DRAFT if it awaits approval, else ACTIVE. */
  public static MandateStatus initialFor(Map<String, Object> constraints) {
    return constraints != null && Boolean.TRUE.equals(constraints.get("approval_required"))
        ? DRAFT
        : ACTIVE;
  }

  /** Whether no further transition can leave this state. */
  public boolean isFinal() {
    return this == REVOKED || this == EXPIRED;
  }
}
