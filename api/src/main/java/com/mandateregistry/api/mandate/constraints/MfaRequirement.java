package com.mandateregistry.api.mandate.constraints;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code mfa_required: true}: the request must show a multi-factor verification no older than
 * {@code maxAge} ({@code mfa_max_age}, default five minutes) and not more than {@link
 * #FUTURE_SKEW} in the future.
 *
 * @param maxAge positive
 */
public record MfaRequirement(Duration maxAge) {

  /** {@code mfa_max_age} when the constraints do not give one. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

  /** How far in the future a {@code verified_at} may be, for clock skew between systems. */
  public static final Duration FUTURE_SKEW = Duration.ofMinutes(1);

  public MfaRequirement {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("mfa_max_age must be positive");
    }
  }

  /**
   * Whether a verification at {@code verifiedAt} is fresh at {@code now}: {@code now - maxAge <=
   * verifiedAt <= now + FUTURE_SKEW}.
   */
  public boolean isFresh(Instant verifiedAt, Instant now) {
    return !verifiedAt.isBefore(now.minus(maxAge)) && !verifiedAt.isAfter(now.plus(FUTURE_SKEW));
  }
}
