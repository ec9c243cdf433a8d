package com.mandateregistry.api.mandate;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** The answer to revoke, suspend and reactivate. */
public record MandateTransitionResponse(
    @JsonProperty("mandate_id") String mandateId,
    MandateStatus status,
    long version,
    @JsonProperty("updated_at") Instant updatedAt) {

  public static MandateTransitionResponse of(MandateChange change) {
    return new MandateTransitionResponse(
        change.mandateId(), change.status(), change.version(), change.at());
  }
}
