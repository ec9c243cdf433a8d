package com.mandateregistry.query.verification;

import com.mandateregistry.api.mandate.scope.ActionPattern;
import com.mandateregistry.api.mandate.scope.ResourcePattern;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A validated verification request: who wants to do what on which resource, in which context.
 * Construction checks everything the decision relies on, so that a malformed request is a 400
 * and never a DENY.
 *
 * <ul>
 *   <li>{@code delegate_subject_id}: not blank;
 *   <li>{@code action}: a valid action id (see {@link ActionPattern});
 *   <li>{@code resource}: a valid resource id (see {@link ResourcePattern});
 *   <li>{@code context.amount}: when present, a number or numeric string, at least 0, at most 6
 *       decimals; {@code context.currency}: when present, three upper-case letters;
 *   <li>{@code context.mfa}: when present, an object whose {@code verified} is a boolean, {@code
 *       method} a string and {@code verified_at} an RFC 3339 date-time, each when present.
 * </ul>
 *
 * @param context the request's context, never null (empty when the request had none)
 */
public record VerificationRequest(
    String delegateSubjectId, String action, String resource, Map<String, Object> context) {

  /**
   * @throws InvalidVerificationRequestException naming the first offending field
   */
  public VerificationRequest {
    if (delegateSubjectId == null || delegateSubjectId.isBlank()) {
      throw new InvalidVerificationRequestException(
          "delegate_subject_id", delegateSubjectId, "is required");
    }
    if (action == null || action.isBlank()) {
      throw new InvalidVerificationRequestException("action", action, "is required");
    }
    try {
      ActionPattern.validateAction(action);
    } catch (IllegalArgumentException e) {
      throw new InvalidVerificationRequestException("action", action, e.getMessage());
    }
    if (resource == null || resource.isBlank()) {
      throw new InvalidVerificationRequestException("resource", resource, "is required");
    }
    try {
      ResourcePattern.validateResource(resource);
    } catch (IllegalArgumentException e) {
      throw new InvalidVerificationRequestException("resource", resource, e.getMessage());
    }
    context =
        context == null || context.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(context));
    RequestContext.parse(context);
  }

  /**
   * The validating factory the controller calls; {@code context} may be null.
   *
   * @throws InvalidVerificationRequestException naming the first offending field, for example
   *     {@code context.amount}
   */
  public static VerificationRequest of(
      String delegateSubjectId, String action, String resource, Map<String, Object> context) {
    return new VerificationRequest(delegateSubjectId, action, resource, context);
  }
}
