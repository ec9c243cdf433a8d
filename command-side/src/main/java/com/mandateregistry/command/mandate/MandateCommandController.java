package com.mandateregistry.command.mandate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.mandate.ApproveMandateCommand;
import com.mandateregistry.api.mandate.CreateMandateCommand;
import com.mandateregistry.api.mandate.MandateChange;
import com.mandateregistry.api.mandate.MandateLimits;
import com.mandateregistry.api.mandate.MandateResponse;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.MandateTransitionResponse;
import com.mandateregistry.api.mandate.Nfc;
import com.mandateregistry.api.mandate.ReactivateMandateCommand;
import com.mandateregistry.api.mandate.RevokeMandateCommand;
import com.mandateregistry.api.mandate.SuspendMandateCommand;
import com.mandateregistry.api.mandate.constraints.InvalidConstraintsException;
import com.mandateregistry.api.mandate.constraints.MandateConstraints;
import com.mandateregistry.api.mandate.scope.PatternViolation;
import com.mandateregistry.api.mandate.scope.ScopePatterns;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.ConsistencyTokens;
import com.mandateregistry.api.web.Caller;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.api.web.Timestamps;
import jakarta.validation.Valid;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingModificationException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Mandate writes (004 "Mandates"): create, revoke, suspend, reactivate, and approve a DRAFT. */
@RestController
class MandateCommandController {

  /** A strong entity tag holding a version: a weak one never matches If-Match (RFC 9110 §13.1.1). */
  private static final Pattern IF_MATCH = Pattern.compile("^\\s*\"(\\d{1,18})\"\\s*$");

  /** An expected version no mandate has: what an entity tag that matches none stands for. */
  private static final long NO_VERSION = -1;

  /** Writes JSON the way {@link MandateLimits#JSON_BYTES} counts it. */
  private static final ObjectMapper COMPACT_JSON = JsonMapper.builder().build();

  private final CommandGateway commands;
  private final Clock clock;
  private final ConsistencyTokens tokens;

  MandateCommandController(CommandGateway commands, Clock clock, ConsistencyTokens tokens) {
    this.commands = commands;
    this.clock = clock;
    this.tokens = tokens;
  }

  @PostMapping("/v1/mandates")
  ResponseEntity<MandateResponse> create(Caller caller, @Valid @RequestBody CreateMandateRequest body) {
    Instant now = clock.instant();
    if (body.expiresAt() != null && !Timestamps.inRange(body.expiresAt())) {
      throw ApiException.badRequest(
          "expires_at is out of range",
          new ErrorDetail(body.expiresAt().toString(), Timestamps.OUT_OF_RANGE, "expires_at", "body"));
    }
    if (body.expiresAt() != null && !body.expiresAt().isAfter(now)) {
      throw ApiException.badRequest(
          "expires_at must be in the future",
          new ErrorDetail(body.expiresAt().toString(), "must be in the future", "expires_at", "body"));
    }
    notBlank(body.principal().type(), "principal.type");
    notBlank(body.principal().subjectId(), "principal.subject_id");
    notBlank(body.delegate().type(), "delegate.type");
    notBlank(body.delegate().subjectId(), "delegate.subject_id");
    if (!Nfc.isNormalized(body.delegate().subjectId())) {
      throw ApiException.badRequest(
          "delegate.subject_id " + Nfc.MESSAGE,
          new ErrorDetail(ErrorDetail.excerpt(body.delegate().subjectId()), Nfc.MESSAGE, "delegate.subject_id", "body"));
    }
    Map<String, Object> constraints = body.constraints() == null ? Map.of() : body.constraints();
    Map<String, Object> metadata = body.metadata() == null ? Map.of() : body.metadata();
    withinJsonLimit(constraints, "constraints");
    withinJsonLimit(metadata, "metadata");
    validateScopeAndConstraints(body, constraints);
    String mandateId = Ids.next(Ids.MANDATE);
    send(
        mandateId,
        new CreateMandateCommand(
            mandateId,
            caller.tenantId(),
            body.principal().toSubject(),
            body.delegate().toSubject(),
            body.scope().toScope(),
            constraints,
            metadata,
            body.expiresAt(),
            now));
    MandateResponse response =
        new MandateResponse(
            mandateId,
            caller.tenantId(),
            0,
            MandateStatus.initialFor(constraints),
            MandateResponse.SubjectBody.of(body.principal().toSubject()),
            MandateResponse.SubjectBody.of(body.delegate().toSubject()),
            MandateResponse.ScopeBody.of(body.scope().toScope()),
            constraints,
            null,
            metadata,
            now,
            now,
            body.expiresAt());
    return ResponseEntity.created(URI.create("/v1/mandates/" + mandateId))
        .eTag("\"0\"")
        .header(ConsistencyTokens.HEADER, tokens.issue(caller.tenantId(), mandateId, 0))
        .body(response);
  }

  @PostMapping("/v1/mandates/{id}/revoke")
  ResponseEntity<MandateTransitionResponse> revoke(
      Caller caller,
      @PathVariable("id") String id,
      @RequestHeader(value = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody(required = false) ReasonRequest body) {
    return transition(
        caller,
        id,
        new RevokeMandateCommand(id, caller.tenantId(), reason(body), expectedVersion(ifMatch)));
  }

  @PostMapping("/v1/mandates/{id}/suspend")
  ResponseEntity<MandateTransitionResponse> suspend(
      Caller caller,
      @PathVariable("id") String id,
      @RequestHeader(value = "If-Match", required = false) String ifMatch,
      @Valid @RequestBody(required = false) ReasonRequest body) {
    return transition(
        caller,
        id,
        new SuspendMandateCommand(id, caller.tenantId(), reason(body), expectedVersion(ifMatch)));
  }

  @PostMapping("/v1/mandates/{id}/reactivate")
  ResponseEntity<MandateTransitionResponse> reactivate(
      Caller caller,
      @PathVariable("id") String id,
      @RequestHeader(value = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) NoParameters body) {
    return transition(
        caller, id, new ReactivateMandateCommand(id, caller.tenantId(), expectedVersion(ifMatch)));
  }

  /**
   * Refuses a value that is all white space by {@link String#isBlank()}, the definition that
   * verification applies to its inputs: bean validation's {@code @NotBlank} trims only ASCII, so a
   * delegate of U+2003 alone would be stored and could never be verified.
   */
  private static void notBlank(String value, String param) {
    if (value.isBlank()) {
      throw ApiException.badRequest(
          "request body is invalid: " + param + " must not be blank",
          new ErrorDetail(ErrorDetail.excerpt(value), "must not be blank", param, "body"));
    }
  }

  /**
   * Refuses an object larger than {@link MandateLimits#JSON_BYTES} as compact UTF-8 JSON: the
   * limits bound the mandate's event, whatever {@code max-body-size} lets through.
   */
  private static void withinJsonLimit(Map<String, Object> value, String param) {
    if (depth(value) > MandateLimits.JSON_DEPTH) {
      String msg = "must not be nested more than " + MandateLimits.JSON_DEPTH + " levels deep";
      throw ApiException.badRequest(param + " " + msg, new ErrorDetail(null, msg, param, "body"));
    }
    byte[] json;
    try {
      json = COMPACT_JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON object did not write back", e);
    }
    if (json.length > MandateLimits.JSON_BYTES) {
      String msg =
          "must be at most " + MandateLimits.JSON_BYTES + " bytes as compact UTF-8 JSON, is " + json.length;
      // the excerpt keeps 32 code points, far within the first 512 bytes
      String start = new String(json, 0, Math.min(json.length, 512), StandardCharsets.UTF_8);
      throw ApiException.badRequest(
          param + " " + msg, new ErrorDetail(ErrorDetail.excerpt(start), msg, param, "body"));
    }
  }

  /** Levels of nesting of a parsed JSON value: 1 for an object or array of plain values. */
  private static int depth(Object value) {
    int deepest = 0;
    if (value instanceof Map<?, ?> map) {
      for (Object v : map.values()) {
        deepest = Math.max(deepest, depth(v));
      }
      return 1 + deepest;
    }
    if (value instanceof List<?> list) {
      for (Object v : list) {
        deepest = Math.max(deepest, depth(v));
      }
      return 1 + deepest;
    }
    return 0;
  }

  /**
   * Refuses what verification could not read: scope patterns outside the grammar and constraints
   * outside their schema (docs/verification.md), each naming the offending field.
   */
  private static void validateScopeAndConstraints(CreateMandateRequest body, Map<String, Object> constraints) {
    List<PatternViolation> violations =
        ScopePatterns.violations(body.scope().actions(), body.scope().resources());
    if (!violations.isEmpty()) {
      throw ApiException.badRequest(
          "scope: " + violations.get(0).message(),
          violations.stream()
              .map(v -> new ErrorDetail(v.value(), v.message(), v.param(), "body"))
              .toArray(ErrorDetail[]::new));
    }
    try {
      MandateConstraints.parse(constraints);
    } catch (InvalidConstraintsException e) {
      throw ApiException.badRequest(
          e.param() + ": " + e.reason(), new ErrorDetail(e.value(), e.reason(), e.param(), "body"));
    }
  }

  /** Approves a DRAFT mandate (created with {@code constraints.approval_required}). */
  @PostMapping("/v1/mandates/{id}/approve")
  ResponseEntity<MandateTransitionResponse> approve(
      Caller caller,
      @PathVariable("id") String id,
      @RequestHeader(value = "If-Match", required = false) String ifMatch,
      @RequestBody(required = false) NoParameters body) {
    return transition(
        caller, id, new ApproveMandateCommand(id, caller.tenantId(), expectedVersion(ifMatch)));
  }

  private ResponseEntity<MandateTransitionResponse> transition(
      Caller caller, String id, Object command) {
    if (!Ids.isValid(Ids.MANDATE, id)) {
      throw ApiException.notFound("mandate", id);
    }
    MandateChange change = (MandateChange) send(id, command);
    return ResponseEntity.ok()
        .eTag("\"" + change.version() + "\"")
        .header(ConsistencyTokens.HEADER, tokens.issue(caller.tenantId(), id, change.version()))
        .body(MandateTransitionResponse.of(change));
  }

  /** Sends a command and turns the refusals of the domain and of Axon into API errors. */
  private Object send(String mandateId, Object command) {
    try {
      return commands.sendAndWait(command);
    } catch (RuntimeException e) {
      throw translate(mandateId, e);
    }
  }

  private static RuntimeException translate(String mandateId, RuntimeException e) {
    Throwable t = e;
    while (t instanceof CommandExecutionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof MandateNotFoundException || t instanceof AggregateNotFoundException) {
      return ApiException.notFound("mandate", mandateId);
    }
    if (t instanceof IllegalTransitionException) {
      return new ApiException(409, "CONFLICT", t.getMessage(), List.of());
    }
    if (t instanceof ConflictingModificationException) {
      // Axon's own message names its repository and versions; say what it means for the client
      return new ApiException(
          409,
          "CONFLICT",
          "mandate " + mandateId + " is not at the version If-Match names; read it again (ETag) and retry",
          List.of());
    }
    if (t instanceof ConcurrencyException || t instanceof AggregateStreamCreationException) {
      return new ApiException(
          409, "CONFLICT", "mandate " + mandateId + " was changed concurrently; retry", List.of());
    }
    if (t instanceof InvalidMandateException) {
      return ApiException.badRequest(t.getMessage());
    }
    return e;
  }

  /** The optional reason; one that is given must say something (it goes into the audit trail). */
  private static String reason(ReasonRequest body) {
    if (body == null || body.reason() == null) {
      return null;
    }
    if (body.reason().isBlank()) {
      throw ApiException.badRequest(
          "reason must not be blank; leave it out to give none",
          new ErrorDetail(ErrorDetail.excerpt(body.reason()), "must not be blank", "reason", "body"));
    }
    return body.reason();
  }

  private static Long expectedVersion(String ifMatch) {
    if (ifMatch == null) {
      return null;
    }
    Matcher m = IF_MATCH.matcher(ifMatch);
    if (!m.matches()) {
      throw ApiException.badRequest(
          "If-Match must be a mandate version as a strong entity tag, for example \"3\"",
          new ErrorDetail(ifMatch, "must be a quoted non-negative integer version", "If-Match", "header"));
    }
    String tag = m.group(1);
    if (tag.length() > 1 && tag.charAt(0) == '0') {
      // strong comparison (RFC 9110 §8.8.3.2) is character for character: "03" is not the ETag
      // "3" or any other this API writes, so it matches no version (409, or 404 for no mandate)
      return NO_VERSION;
    }
    return Long.parseLong(tag);
  }
}
