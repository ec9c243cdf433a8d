package com.mandateregistry.api.mandate;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A mandate as the 004 API shows it; returned by create, get and list. */
public record MandateResponse(
    @JsonProperty("mandate_id") String mandateId,
    @JsonProperty("tenant_id") String tenantId,
    long version,
    MandateStatus status,
    SubjectBody principal,
    SubjectBody delegate,
    ScopeBody scope,
    Map<String, Object> constraints,
    Map<String, Object> proof,
    Map<String, Object> metadata,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("expires_at") Instant expiresAt) {

  /** A subject in 004's casing. */
  public record SubjectBody(String type, @JsonProperty("subject_id") String subjectId) {
    public static SubjectBody of(Subject subject) {
      return new SubjectBody(subject.type(), subject.subjectId());
    }
  }

  /** A scope in 004's casing. */
  public record ScopeBody(List<String> actions, List<String> resources, Effect effect) {
    public static ScopeBody of(Scope scope) {
      return new ScopeBody(scope.actions(), scope.resources(), scope.effect());
    }
  }
}
