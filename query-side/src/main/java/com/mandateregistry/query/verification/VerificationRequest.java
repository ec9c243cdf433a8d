package com.mandateregistry.query.verification;

import com.mandateregistry.api.mandate.Nfc;
import com.mandateregistry.api.mandate.scope.ActionPattern;
import com.mandateregistry.api.mandate.scope.ResourcePattern;
import com.mandateregistry.api.web.ErrorDetail;
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

  /** Longest {@code delegate_subject_id}: a mandate's delegate can be no longer. */
  public static final int MAX_DELEGATE_LENGTH = 512;
  /** Longest {@code action}, in characters (a pattern ending in {@code .*} matches longer ones). */
  public static final int MAX_ACTION_LENGTH = 512;
  /** Longest {@code resource}, in characters (a pattern ending in {@code /**} matches deeper ones). */
  public static final int MAX_RESOURCE_LENGTH = 2048;

  /**
   * @throws InvalidVerificationRequestException naming the first offending field
   */
  public VerificationRequest {
    if (delegateSubjectId == null) {
      throw new InvalidVerificationRequestException("delegate_subject_id", null, "is required");
    }
    if (delegateSubjectId.isBlank()) {
      throw new InvalidVerificationRequestException("delegate_subject_id", delegateSubjectId, "must not be blank");
    }
    atMost("delegate_subject_id", delegateSubjectId, MAX_DELEGATE_LENGTH);
    if (!Nfc.isNormalized(delegateSubjectId)) {
      throw new InvalidVerificationRequestException("delegate_subject_id", delegateSubjectId, Nfc.MESSAGE);
    }
    if (action == null) {
      throw new InvalidVerificationRequestException("action", null, "is required");
    }
    if (action.isBlank()) {
      throw new InvalidVerificationRequestException("action", action, "must not be blank");
    }
    atMost("action", action, MAX_ACTION_LENGTH);
    try {
      ActionPattern.validateAction(action);
    } catch (IllegalArgumentException e) {
      throw new InvalidVerificationRequestException("action", action, e.getMessage());
    }
    if (resource == null) {
      throw new InvalidVerificationRequestException("resource", null, "is required");
    }
    if (resource.isBlank()) {
      throw new InvalidVerificationRequestException("resource", resource, "must not be blank");
    }
    atMost("resource", resource, MAX_RESOURCE_LENGTH);
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

  /** Refuses a value longer than {@code max}, echoing only its start ({@link ErrorDetail#excerpt}). */
  static void atMost(String param, String value, int max) {
    if (value.length() > max) {
      throw new InvalidVerificationRequestException(
          param,
          ErrorDetail.excerpt(value),
          "must be at most " + max + " characters, not " + value.length());
    }
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
