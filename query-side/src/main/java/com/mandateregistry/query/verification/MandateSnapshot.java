package com.mandateregistry.query.verification;

import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.constraints.MandateConstraints;
import com.mandateregistry.api.mandate.scope.ActionPattern;
import com.mandateregistry.api.mandate.scope.ResourcePattern;
import com.mandateregistry.api.mandate.scope.ScopePatterns;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A mandate as the decision needs it: compiled once (by the verification index), read on every
 * verification. Immutable and thread-safe.
 *
 * @param version the mandate's aggregate version, for the audit of the decision
 * @param actions at least one compiled action pattern
 * @param resources at least one compiled resource pattern
 * @param createdAt when the mandate was created; {@code duration} counts from it
 * @param expiresAt the mandate's {@code expires_at}, or null when it has none
 */
public record MandateSnapshot(
    String mandateId,
    String tenantId,
    long version,
    MandateStatus status,
    String delegateSubjectId,
    Effect effect,
    List<ActionPattern> actions,
    List<ResourcePattern> resources,
    MandateConstraints constraints,
    Instant createdAt,
    Instant expiresAt) {

  public MandateSnapshot {
    Objects.requireNonNull(mandateId, "mandateId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(delegateSubjectId, "delegateSubjectId");
    Objects.requireNonNull(effect, "effect");
    Objects.requireNonNull(constraints, "constraints");
    Objects.requireNonNull(createdAt, "createdAt");
    actions = List.copyOf(actions);
    resources = List.copyOf(resources);
    if (actions.isEmpty() || resources.isEmpty()) {
      throw new IllegalArgumentException("a mandate covers at least one action and one resource");
    }
  }

  /**
   * A snapshot from the fields of the read model: compiles the patterns and parses the
   * constraints.
   *
   * @param constraints the mandate's {@code constraints} object as stored; null means none
   * @throws IllegalArgumentException when a pattern is invalid, or {@link
   *     com.mandateregistry.api.mandate.constraints.InvalidConstraintsException} when the
   *     constraints are
   */
  public static MandateSnapshot of(
      String mandateId,
      String tenantId,
      long version,
      MandateStatus status,
      String delegateSubjectId,
      Effect effect,
      List<String> actions,
      List<String> resources,
      Map<String, ?> constraints,
      Instant createdAt,
      Instant expiresAt) {
    ScopePatterns.validate(actions, resources);
    return new MandateSnapshot(
        mandateId,
        tenantId,
        version,
        status,
        delegateSubjectId,
        effect,
        ScopePatterns.compileActions(actions),
        ScopePatterns.compileResources(resources),
        MandateConstraints.parse(constraints),
        createdAt,
        expiresAt);
  }

  /**
   * Whether the scope covers the action on the resource: some action pattern matches the action
   * and some resource pattern matches the resource. Both must be valid ids.
   */
  public boolean covers(String action, String resource) {
    boolean actionMatches = false;
    for (ActionPattern pattern : actions) {
      if (pattern.matches(action)) {
        actionMatches = true;
        break;
      }
    }
    if (!actionMatches) {
      return false;
    }
    for (ResourcePattern pattern : resources) {
      if (pattern.matches(resource)) {
        return true;
      }
    }
    return false;
  }

  /** The earlier of {@code expires_at} and {@code created_at + duration}; empty when neither. */
  public Optional<Instant> validUntil() {
    return constraints.validUntil(createdAt, expiresAt);
  }

  /**
   * Whether the mandate is in force at {@code now}: ACTIVE, not before its {@code not_before},
   * and before {@link #validUntil()}. Time windows and the other constraints are not part of it.
   */
  public boolean isInForce(Instant now) {
    if (status != MandateStatus.ACTIVE) {
      return false;
    }
    Optional<Instant> notBefore = constraints.notBefore();
    if (notBefore.isPresent() && now.isBefore(notBefore.get())) {
      return false;
    }
    Optional<Instant> until = validUntil();
    return until.isEmpty() || now.isBefore(until.get());
  }
}
