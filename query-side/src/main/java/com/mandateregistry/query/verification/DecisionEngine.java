package com.mandateregistry.query.verification;

import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.constraints.Amounts;
import com.mandateregistry.api.mandate.constraints.Budget;
import com.mandateregistry.api.mandate.constraints.MandateConstraints;
import com.mandateregistry.api.mandate.constraints.MfaRequirement;
import com.mandateregistry.api.mandate.constraints.Money;
import com.mandateregistry.api.mandate.constraints.RateLimit;
import com.mandateregistry.api.mandate.constraints.TimeWindows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides one verification: ALLOW or DENY, which mandate, and why. Pure apart from the {@link
 * UsageCounter} it is given: no clock (the time is a parameter), no storage, no Spring. Stateless
 * and thread-safe.
 *
 * <ol>
 *   <li>The candidates that count are those of the request's delegate whose scope covers the
 *       action (some action pattern) on the resource (some resource pattern). None: DENY {@code
 *       NO_MATCHING_MANDATE}.
 *   <li>A DENY mandate among them that is in force (ACTIVE, not before its {@code not_before},
 *       before its {@code expires_at} and {@code created_at + duration}) overrides every ALLOW:
 *       DENY {@code EXPLICIT_DENY}, naming the lowest such mandate id. The other constraints of a
 *       DENY mandate are not consulted: it denies whenever it is in force.
 *   <li>The ALLOW mandates among them are tried in ascending mandate id. Each is checked in this
 *       order, stopping at the first failure: status, expiry, {@code not_before}, time windows,
 *       MFA, amount and currency present and matching, {@code max_amount}, {@code
 *       escalation_threshold}; then, only when all of those pass, the {@link MandateAuthority}
 *       (when given) confirms the status, and rate limit and budget are consumed together
 *       through the {@link UsageCounter}. The first mandate that passes
 *       everything gives ALLOW; nothing is consumed for any other.
 *   <li>When none passes: DENY naming the candidate that got furthest in that order (the latest
 *       check it failed), the first of them in id order on a tie, with its reason codes (one, or
 *       both of RATE_LIMIT_EXCEEDED and BUDGET_EXHAUSTED) and {@code escalationTriggered} when
 *       that candidate failed on the escalation threshold.
 * </ol>
 *
 * <p>No matching ALLOW mandate and no DENY mandate in force (for example only a suspended DENY
 * mandate matches) is {@code NO_MATCHING_MANDATE}. The caller passes only mandates of the caller's
 * tenant; candidates of another delegate are ignored.
 */
public final class DecisionEngine {

  // The checks of an ALLOW candidate, in order; a failure's stage says how far the candidate got.
  private static final int STATUS = 1;
  private static final int EXPIRY = 2;
  private static final int NOT_BEFORE = 3;
  private static final int TIME_WINDOW = 4;
  private static final int MFA = 5;
  private static final int AMOUNT_PRESENT = 6;
  private static final int MAX_AMOUNT = 7;
  private static final int ESCALATION = 8;
  private static final int USAGE = 9;

  private static final Comparator<MandateSnapshot> BY_ID =
      Comparator.comparing(MandateSnapshot::mandateId);

  /** Why one candidate did not allow. */
  private record Failure(
      String mandateId,
      int stage,
      List<String> reasonCodes,
      Map<String, Object> remaining,
      boolean escalation) {

    static Failure of(MandateSnapshot mandate, int stage, String reasonCode) {
      return new Failure(mandate.mandateId(), stage, List.of(reasonCode), Map.of(), false);
    }
  }

  /**
   * Decides a verification, trusting the snapshots' status ({@link MandateAuthority#SNAPSHOT}).
   *
   * @param candidatesOfDelegate the delegate's mandates of the caller's tenant, in any order (the
   *     index's lookup by delegate); may contain mandates that do not cover the request
   * @param request the validated request
   * @param now the time of the decision
   * @param usage consumes rate limits and budgets; called at most once per candidate, and only
   *     for a candidate that passed every other check
   */
  public Decision decide(
      List<MandateSnapshot> candidatesOfDelegate,
      VerificationRequest request,
      Instant now,
      UsageCounter usage) {
    return decide(candidatesOfDelegate, request, now, usage, MandateAuthority.SNAPSHOT);
  }

  /**
   * Decides a verification, asking {@code authority} for the current status of a candidate that
   * passed every check except the stateful ones, before anything is consumed. A status other
   * than ACTIVE fails that candidate as its status check would have (for example {@code
   * MANDATE_SUSPENDED}), and the next candidate is tried; an empty answer keeps the snapshot's
   * status.
   *
   * @param authority consulted at most once per candidate, only for ALLOW candidates that would
   *     otherwise reach the usage counter or allow
   */
  public Decision decide(
      List<MandateSnapshot> candidatesOfDelegate,
      VerificationRequest request,
      Instant now,
      UsageCounter usage,
      MandateAuthority authority) {
    Objects.requireNonNull(candidatesOfDelegate, "candidatesOfDelegate");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(authority, "authority");

    MandateSnapshot explicitDeny = null;
    List<MandateSnapshot> allows = new ArrayList<>();
    for (MandateSnapshot mandate : candidatesOfDelegate) {
      if (!mandate.delegateSubjectId().equals(request.delegateSubjectId())
          || !mandate.covers(request.action(), request.resource())) {
        continue;
      }
      if (mandate.effect() == Effect.DENY) {
        if (mandate.isInForce(now)
            && (explicitDeny == null || BY_ID.compare(mandate, explicitDeny) < 0)) {
          explicitDeny = mandate;
        }
      } else {
        allows.add(mandate);
      }
    }
    if (explicitDeny != null) {
      return Decision.deny(
          explicitDeny.mandateId(), List.of(ReasonCode.EXPLICIT_DENY), Map.of(), false);
    }
    if (allows.isEmpty()) {
      return Decision.deny(null, List.of(ReasonCode.NO_MATCHING_MANDATE), Map.of(), false);
    }

    allows.sort(BY_ID);
    RequestContext context = RequestContext.parse(request.context());
    Failure furthest = null;
    for (MandateSnapshot mandate : allows) {
      Failure failure = check(mandate, context, now);
      if (failure == null) {
        failure = checkAuthority(mandate, authority);
      }
      if (failure == null) {
        MandateConstraints constraints = mandate.constraints();
        RateLimit rateLimit = constraints.rateLimit().orElse(null);
        Budget budget = constraints.budget().orElse(null);
        if (rateLimit == null && budget == null) {
          return Decision.allow(mandate.mandateId(), remaining(mandate, now, null));
        }
        RateWindow rate =
            rateLimit == null
                ? null
                : new RateWindow(
                    rateLimit.windowStart(now), rateLimit.windowEnd(now), rateLimit.maxUses());
        BudgetWindow budgetWindow =
            budget == null
                ? null
                : new BudgetWindow(
                    budget.windowStart(now),
                    budget.windowEnd(now),
                    budget.limit().amount(),
                    context.amount(),
                    budget.limit().currency());
        Consumption consumption = usage.tryConsume(mandate.mandateId(), rate, budgetWindow);
        if (consumption.consumed()) {
          return Decision.allow(mandate.mandateId(), remaining(mandate, now, consumption));
        }
        List<String> reasons = new ArrayList<>();
        for (UsageRefusal refusal : consumption.refusals()) {
          reasons.add(refusal.reasonCode());
        }
        failure =
            new Failure(
                mandate.mandateId(),
                USAGE,
                reasons,
                remaining(mandate, now, consumption),
                false);
      }
      if (furthest == null || failure.stage() > furthest.stage()) {
        furthest = failure;
      }
    }
    return Decision.deny(
        furthest.mandateId(),
        furthest.reasonCodes(),
        furthest.remaining(),
        furthest.escalation());
  }

  /** The checks before consumption, in order; null when all pass. */
  private static Failure check(MandateSnapshot mandate, RequestContext context, Instant now) {
    Failure status = checkStatus(mandate, mandate.status());
    if (status != null) {
      return status;
    }
    Optional<Instant> validUntil = mandate.validUntil();
    if (validUntil.isPresent() && !now.isBefore(validUntil.get())) {
      return Failure.of(mandate, EXPIRY, ReasonCode.MANDATE_EXPIRED);
    }
    MandateConstraints constraints = mandate.constraints();
    Optional<Instant> notBefore = constraints.notBefore();
    if (notBefore.isPresent() && now.isBefore(notBefore.get())) {
      return Failure.of(mandate, NOT_BEFORE, ReasonCode.NOT_YET_VALID);
    }
    Optional<TimeWindows> windows = constraints.timeWindows();
    if (windows.isPresent() && !windows.get().contains(now)) {
      return Failure.of(mandate, TIME_WINDOW, ReasonCode.OUTSIDE_TIME_WINDOW);
    }
    Optional<MfaRequirement> mfa = constraints.mfa();
    if (mfa.isPresent() && !mfaSatisfied(mfa.get(), context, now)) {
      return Failure.of(mandate, MFA, ReasonCode.MFA_REQUIRED);
    }
    if (!constraints.hasAmountConstraint()) {
      return null;
    }
    if (context.amount() == null || context.currency() == null) {
      return Failure.of(mandate, AMOUNT_PRESENT, ReasonCode.AMOUNT_REQUIRED);
    }
    if (!context.currency().equals(constraints.currency().orElseThrow())) {
      return Failure.of(mandate, AMOUNT_PRESENT, ReasonCode.CURRENCY_MISMATCH);
    }
    Optional<Money> maxAmount = constraints.maxAmount();
    if (maxAmount.isPresent() && context.amount().compareTo(maxAmount.get().amount()) > 0) {
      return Failure.of(mandate, MAX_AMOUNT, ReasonCode.AMOUNT_EXCEEDED);
    }
    Optional<Money> threshold = constraints.escalationThreshold();
    if (threshold.isPresent() && context.amount().compareTo(threshold.get().amount()) > 0) {
      return new Failure(
          mandate.mandateId(),
          ESCALATION,
          List.of(ReasonCode.ESCALATION_REQUIRED),
          Map.of(),
          true);
    }
    return null;
  }

  /** A status other than ACTIVE as a failure of the status check; null for ACTIVE. */
  private static Failure checkStatus(MandateSnapshot mandate, MandateStatus status) {
    switch (status) {
      case DRAFT:
        return Failure.of(mandate, STATUS, ReasonCode.APPROVAL_REQUIRED);
      case SUSPENDED:
        return Failure.of(mandate, STATUS, ReasonCode.MANDATE_SUSPENDED);
      case REVOKED:
        return Failure.of(mandate, STATUS, ReasonCode.MANDATE_REVOKED);
      case EXPIRED:
        return Failure.of(mandate, STATUS, ReasonCode.MANDATE_EXPIRED);
      case ACTIVE:
      default:
        return null;
    }
  }

  /**
   * The authority's status, when it knows one, checked like the snapshot's; it counts as a status
   * failure (the earliest stage), since the mandate is in truth not active.
   */
  private static Failure checkAuthority(MandateSnapshot mandate, MandateAuthority authority) {
    Optional<MandateStatus> current = authority.statusOf(mandate);
    return current.isEmpty() ? null : checkStatus(mandate, current.get());
  }

  private static boolean mfaSatisfied(
      MfaRequirement requirement, RequestContext context, Instant now) {
    return Boolean.TRUE.equals(context.mfaVerified())
        && context.mfaMethod() != null
        && !context.mfaMethod().isBlank()
        && context.mfaVerifiedAt() != null
        && requirement.isFresh(context.mfaVerifiedAt(), now);
  }

  /**
   * {@code constraints_remaining}: validity, and what the counter reported (after this use on
   * ALLOW, before it on a refusal).
   */
  private static Map<String, Object> remaining(
      MandateSnapshot mandate, Instant now, Consumption consumption) {
    Map<String, Object> remaining = new LinkedHashMap<>();
    mandate.validUntil().ifPresent(until -> remaining.put("valid_until", until.toString()));
    MandateConstraints constraints = mandate.constraints();
    Optional<RateLimit> rateLimit = constraints.rateLimit();
    if (consumption != null && rateLimit.isPresent() && consumption.usesRemaining() != null) {
      remaining.put("uses_remaining", consumption.usesRemaining());
      remaining.put("uses_reset_at", rateLimit.get().windowEnd(now).toString());
    }
    Optional<Budget> budget = constraints.budget();
    if (consumption != null && budget.isPresent() && consumption.budgetRemaining() != null) {
      Map<String, Object> money = new LinkedHashMap<>();
      // normalised (880, not the counter's 880.000000), as every other amount is written
      money.put("amount", Amounts.parse(consumption.budgetRemaining()));
      money.put("currency", budget.get().limit().currency());
      remaining.put("budget_remaining", Collections.unmodifiableMap(money));
      Instant resetAt = budget.get().windowEnd(now);
      if (resetAt != null) {
        remaining.put("budget_reset_at", resetAt.toString());
      }
    }
    return remaining;
  }
}
