package com.mandateregistry.ledger.verify;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of verifying one trail.
 *
 * @param tenantId the trail's tenant
 * @param entriesVerified entries found intact, in order, before the first broken one (all of them
 *     when intact)
 * @param headSequence sequence of the last intact entry, 0 if none
 * @param headHash event_hash of the last intact entry, the genesis value if none
 * @param keyIds the ids of the keys that were trusted
 * @param failure the first broken entry, empty when the trail is intact
 */
public record VerificationReport(
    String tenantId,
    long entriesVerified,
    long headSequence,
    String headHash,
    List<String> keyIds,
    Optional<Failure> failure) {

  public VerificationReport {
    keyIds = List.copyOf(keyIds);
  }

  public boolean intact() {
    return failure.isEmpty();
  }
}
