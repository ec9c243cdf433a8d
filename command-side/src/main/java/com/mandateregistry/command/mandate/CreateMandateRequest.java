package com.mandateregistry.command.mandate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.Scope;
import com.mandateregistry.api.mandate.Subject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The body of {@code POST /v1/mandates}. */
record CreateMandateRequest(
    @NotNull @Valid SubjectBody principal,
    @NotNull @Valid SubjectBody delegate,
    @NotNull @Valid ScopeBody scope,
    @Size(max = 50) Map<String, Object> constraints,
    @Size(max = 50) Map<String, Object> metadata,
    @JsonProperty("expires_at") Instant expiresAt) {

  record SubjectBody(
      @NotBlank @Size(max = 64) String type,
      @JsonProperty("subject_id") @NotBlank @Size(max = 512) String subjectId) {

    Subject toSubject() {
      return new Subject(type, subjectId);
    }
  }

  record ScopeBody(
      @NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 256) String> actions,
      @NotEmpty @Size(max = 100) List<@NotBlank @Size(max = 512) String> resources,
      Effect effect) {

    Scope toScope() {
      return new Scope(actions, resources, effect == null ? Effect.ALLOW : effect);
    }
  }
}
