package com.mandateregistry.command.mandate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateLimits;
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
    @Size(max = MandateLimits.KEYS, message = KEYS) Map<String, Object> constraints,
    @Size(max = MandateLimits.KEYS, message = KEYS) Map<String, Object> metadata,
    @JsonProperty("expires_at") Instant expiresAt) {

  /** The message of a string's length limit (the API's error shape quotes it in {@code msg}). */
  static final String CHARACTERS = "must be at most {max} characters";

  /** The message of a list's size limit. */
  static final String ITEMS = "must have at most {max} items";

  /** The message of an object's size limit. */
  static final String KEYS = "must have at most {max} keys";

  record SubjectBody(
      @NotBlank @Size(max = MandateLimits.SUBJECT_TYPE_LENGTH, message = CHARACTERS) String type,
      @JsonProperty("subject_id") @NotBlank @Size(max = MandateLimits.SUBJECT_ID_LENGTH, message = CHARACTERS)
          String subjectId) {

    Subject toSubject() {
      return new Subject(type, subjectId);
    }
  }

  record ScopeBody(
      // a pattern is @NotNull, not @NotBlank: the scope's own grammar refuses an empty or white-space
      // pattern, with the same message whatever the white space (@NotBlank trims only up to U+0020)
      @NotEmpty @Size(max = MandateLimits.ACTIONS, message = ITEMS)
          List<@NotNull @Size(max = MandateLimits.ACTION_LENGTH, message = CHARACTERS) String> actions,
      @NotEmpty @Size(max = MandateLimits.RESOURCES, message = ITEMS)
          List<@NotNull @Size(max = MandateLimits.RESOURCE_LENGTH, message = CHARACTERS) String> resources,
      Effect effect) {

    Scope toScope() {
      return new Scope(actions, resources, effect == null ? Effect.ALLOW : effect);
    }
  }
}
