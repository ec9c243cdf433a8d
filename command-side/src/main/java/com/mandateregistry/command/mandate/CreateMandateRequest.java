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
    @Size(max = 50, message = "must have at most {max} keys") Map<String, Object> constraints,
    @Size(max = 50, message = "must have at most {max} keys") Map<String, Object> metadata,
    @JsonProperty("expires_at") Instant expiresAt) {

  /** The message of a string's length limit (the API's error shape quotes it in {@code msg}). */
  static final String CHARACTERS = "must be at most {max} characters";

  /** The message of a list's size limit. */
  static final String ITEMS = "must have at most {max} items";

  record SubjectBody(
      @NotBlank @Size(max = 64, message = CHARACTERS) String type,
      @JsonProperty("subject_id") @NotBlank @Size(max = 512, message = CHARACTERS) String subjectId) {

    Subject toSubject() {
      return new Subject(type, subjectId);
    }
  }

  record ScopeBody(
      @NotEmpty @Size(max = 100, message = ITEMS) List<@NotBlank @Size(max = 256, message = CHARACTERS) String> actions,
      @NotEmpty @Size(max = 100, message = ITEMS) List<@NotBlank @Size(max = 512, message = CHARACTERS) String> resources,
      Effect effect) {

    Scope toScope() {
      return new Scope(actions, resources, effect == null ? Effect.ALLOW : effect);
    }
  }
}
