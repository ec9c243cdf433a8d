package com.mandateregistry.query.verification;

import com.mandateregistry.api.mandate.MandateStatus;
import java.util.Optional;

/**
 * The authoritative status of a mandate, consulted by {@link DecisionEngine} for a candidate that
 * would ALLOW, before anything is consumed; it closes the gap between an eventually consistent
 * index and the acknowledged writes.
 */
@FunctionalInterface
public interface MandateAuthority {

  /** Trusts the snapshot as it is (for tests, or where the index is authoritative). */
  MandateAuthority SNAPSHOT = mandate -> Optional.empty();

  /** The mandate's current status, or empty if unknown (then the snapshot's status stands). */
  Optional<MandateStatus> statusOf(MandateSnapshot mandate);
}
