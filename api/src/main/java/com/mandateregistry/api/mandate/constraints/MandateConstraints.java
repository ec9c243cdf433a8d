package com.mandateregistry.api.mandate.constraints;

import com.mandateregistry.api.web.Timestamps;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The validated, immutable model of a mandate's free-form {@code constraints} object.
 *
 * <p>{@link #parse} reads the object as Jackson delivers it and refuses anything it does not
 * understand, so that a typo never silently grants more: an unknown top-level key is an error,
 * except keys starting with {@code x_}, which are kept ({@link #extensions()}) and ignored. Nested
 * objects accept only their documented keys. Every key is optional:
 *
 * <ul>
 *   <li>{@code not_before}: an RFC 3339 date-time; before it the mandate grants nothing;
 *   <li>{@code duration}: an ISO 8601 duration; the mandate grants nothing from {@code created_at
 *       + duration} on (together with {@code expires_at}, whichever is earlier);
 *   <li>{@code time_windows}: {@code {"time_zone": "Europe/Berlin", "windows": [{"days": ["MON"],
 *       "start": "08:00", "end": "18:00"}]}};
 *   <li>{@code rate_limit}: {@code {"max_uses": 10, "period": "PT1H"}};
 *   <li>{@code max_amount}: {@code {"amount": 1000, "currency": "EUR"}}, per transaction;
 *   <li>{@code budget}: {@code {"amount": 10000, "currency": "EUR"}}, optionally with {@code
 *       "period": "P30D"};
 *   <li>{@code escalation_threshold}: {@code {"amount": 5000, "currency": "EUR"}};
 *   <li>{@code approval_required}: a boolean;
 *   <li>{@code mfa_required}: a boolean, with the optional {@code mfa_max_age} (ISO 8601, default
 *       {@code PT5M}), allowed only together with {@code "mfa_required": true}.
 * </ul>
 *
 * <p>All amount constraints of one mandate must use the same currency. {@code docs/verification.md}
 * describes the semantics of each key.
 */
public final class MandateConstraints {

  public static final String NOT_BEFORE = "not_before";
  public static final String DURATION = "duration";
  public static final String TIME_WINDOWS = "time_windows";
  public static final String RATE_LIMIT = "rate_limit";
  public static final String MAX_AMOUNT = "max_amount";
  public static final String BUDGET = "budget";
  public static final String ESCALATION_THRESHOLD = "escalation_threshold";
  public static final String APPROVAL_REQUIRED = "approval_required";
  public static final String MFA_REQUIRED = "mfa_required";
  public static final String MFA_MAX_AGE = "mfa_max_age";

  /** Prefix of extension keys, which are kept and ignored. */
  public static final String EXTENSION_PREFIX = "x_";

  /**
   * Object member names that an extension's value may not hold at any depth: SD-JWT (RFC 9901)
   * gives them a meaning of their own, and the constraints are disclosed in a Proof-of-Mandate as
   * granted, so a verifier would read them as digests or array-element disclosures.
   */
  public static final Set<String> SD_JWT_RESERVED_KEYS = Set.of("_sd", "_sd_alg", "...");

  /** Every supported top-level key, in the order they are checked. */
  public static final List<String> KEYS =
      List.of(
          NOT_BEFORE,
          DURATION,
          TIME_WINDOWS,
          RATE_LIMIT,
          MAX_AMOUNT,
          BUDGET,
          ESCALATION_THRESHOLD,
          APPROVAL_REQUIRED,
          MFA_REQUIRED,
          MFA_MAX_AGE);

  /** No constraints at all. */
  public static final MandateConstraints NONE =
      new MandateConstraints(
          null, null, null, null, null, null, null, false, null, Collections.emptyMap());

  private static final String ROOT = "constraints";
  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]|24:00");
  private static final List<String> DAY_NAMES =
      List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

  private final Instant notBefore;
  private final IsoDuration duration;
  private final TimeWindows timeWindows;
  private final RateLimit rateLimit;
  private final Money maxAmount;
  private final Budget budget;
  private final Money escalationThreshold;
  private final boolean approvalRequired;
  private final MfaRequirement mfa;
  private final Map<String, Object> extensions;

  private MandateConstraints(
      Instant notBefore,
      IsoDuration duration,
      TimeWindows timeWindows,
      RateLimit rateLimit,
      Money maxAmount,
      Budget budget,
      Money escalationThreshold,
      boolean approvalRequired,
      MfaRequirement mfa,
      Map<String, Object> extensions) {
    this.notBefore = notBefore;
    this.duration = duration;
    this.timeWindows = timeWindows;
    this.rateLimit = rateLimit;
    this.maxAmount = maxAmount;
    this.budget = budget;
    this.escalationThreshold = escalationThreshold;
    this.approvalRequired = approvalRequired;
    this.mfa = mfa;
    this.extensions = extensions;
  }

  /**
   * Parses and validates a {@code constraints} object; null or empty gives {@link #NONE}.
   *
   * @throws InvalidConstraintsException naming the first offending parameter, for example {@code
   *     constraints.rate_limit.max_uses}
   */
  public static MandateConstraints parse(Map<String, ?> constraints) {
    if (constraints == null || constraints.isEmpty()) {
      return NONE;
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    for (String key : new TreeSet<>(constraints.keySet())) {
      if (key.startsWith(EXTENSION_PREFIX)) {
        noReservedKeys(constraints.get(key), path(key));
        extensions.put(key, constraints.get(key));
      } else if (!KEYS.contains(key)) {
        throw new InvalidConstraintsException(
            ROOT + "." + key,
            constraints.get(key),
            "unknown constraint; supported are "
                + String.join(", ", KEYS)
                + ", and keys starting with "
                + EXTENSION_PREFIX);
      } else if (constraints.get(key) == null) {
        throw new InvalidConstraintsException(
            ROOT + "." + key, null, "must not be null; leave the key out instead");
      }
    }
    Object value;
    Instant notBefore =
        (value = constraints.get(NOT_BEFORE)) == null ? null : instant(value, path(NOT_BEFORE));
    IsoDuration duration =
        (value = constraints.get(DURATION)) == null ? null : duration(value, path(DURATION));
    TimeWindows timeWindows =
        (value = constraints.get(TIME_WINDOWS)) == null ? null : timeWindows(value);
    RateLimit rateLimit = (value = constraints.get(RATE_LIMIT)) == null ? null : rateLimit(value);
    Money maxAmount =
        (value = constraints.get(MAX_AMOUNT)) == null
            ? null
            : money(value, path(MAX_AMOUNT), Set.of("amount", "currency"));
    Budget budget = (value = constraints.get(BUDGET)) == null ? null : budget(value);
    Money escalationThreshold =
        (value = constraints.get(ESCALATION_THRESHOLD)) == null
            ? null
            : money(value, path(ESCALATION_THRESHOLD), Set.of("amount", "currency"));
    boolean approvalRequired =
        (value = constraints.get(APPROVAL_REQUIRED)) != null
            && bool(value, path(APPROVAL_REQUIRED));
    boolean mfaRequired =
        (value = constraints.get(MFA_REQUIRED)) != null && bool(value, path(MFA_REQUIRED));
    MfaRequirement mfa = null;
    value = constraints.get(MFA_MAX_AGE);
    if (value != null && !mfaRequired) {
      throw new InvalidConstraintsException(
          path(MFA_MAX_AGE), value, "is allowed only together with \"mfa_required\": true");
    }
    if (mfaRequired) {
      mfa =
          new MfaRequirement(
              value == null
                  ? MfaRequirement.DEFAULT_MAX_AGE
                  : fixedDuration(value, path(MFA_MAX_AGE)));
    }
    sameCurrency(maxAmount, budget == null ? null : budget.limit(), escalationThreshold);
    return new MandateConstraints(
        notBefore,
        duration,
        timeWindows,
        rateLimit,
        maxAmount,
        budget,
        escalationThreshold,
        approvalRequired,
        mfa,
        Collections.unmodifiableMap(extensions));
  }

  /** {@code not_before}: before it the mandate grants nothing. */
  public Optional<Instant> notBefore() {
    return Optional.ofNullable(notBefore);
  }

  /** {@code duration}: how long after {@code created_at} the mandate stays valid. */
  public Optional<IsoDuration> duration() {
    return Optional.ofNullable(duration);
  }

  /** {@code time_windows}. */
  public Optional<TimeWindows> timeWindows() {
    return Optional.ofNullable(timeWindows);
  }

  /** {@code rate_limit}. */
  public Optional<RateLimit> rateLimit() {
    return Optional.ofNullable(rateLimit);
  }

  /** {@code max_amount}: the most one transaction may be. */
  public Optional<Money> maxAmount() {
    return Optional.ofNullable(maxAmount);
  }

  /** {@code budget}. */
  public Optional<Budget> budget() {
    return Optional.ofNullable(budget);
  }

  /** {@code escalation_threshold}: above it a transaction needs escalation. */
  public Optional<Money> escalationThreshold() {
    return Optional.ofNullable(escalationThreshold);
  }

  /** {@code approval_required}: the mandate starts in DRAFT and grants nothing until approved. */
  public boolean approvalRequired() {
    return approvalRequired;
  }

  /** Present when {@code mfa_required} is true, with {@code mfa_max_age} or its default. */
  public Optional<MfaRequirement> mfa() {
    return Optional.ofNullable(mfa);
  }

  /** Refuses an object member named as in {@link #SD_JWT_RESERVED_KEYS}, at any depth. */
  private static void noReservedKeys(Object value, String path) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> member : map.entrySet()) {
        String name = String.valueOf(member.getKey());
        if (SD_JWT_RESERVED_KEYS.contains(name)) {
          throw new InvalidConstraintsException(
              path + "." + name,
              member.getValue(),
              "the member names _sd, _sd_alg and ... are reserved by SD-JWT (RFC 9901)");
        }
        noReservedKeys(member.getValue(), path + "." + name);
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        noReservedKeys(list.get(i), path + "[" + i + "]");
      }
    }
  }

  /** The {@code x_…} keys and their values, as given; ignored by every check. */
  public Map<String, Object> extensions() {
    return extensions;
  }

  /** Whether {@code max_amount}, {@code budget} or {@code escalation_threshold} is set. */
  public boolean hasAmountConstraint() {
    return maxAmount != null || budget != null || escalationThreshold != null;
  }

  /** The one currency of the amount constraints, when there is any. */
  public Optional<String> currency() {
    if (maxAmount != null) {
      return Optional.of(maxAmount.currency());
    }
    if (budget != null) {
      return Optional.of(budget.limit().currency());
    }
    return escalationThreshold == null
        ? Optional.empty()
        : Optional.of(escalationThreshold.currency());
  }

  /**
   * The first instant at which the mandate is no longer valid: the earlier of {@code expiresAt}
   * and {@code createdAt + duration}; empty when neither is set.
   *
   * @param expiresAt the mandate's {@code expires_at}, may be null
   */
  public Optional<Instant> validUntil(Instant createdAt, Instant expiresAt) {
    Instant end = duration == null ? null : duration.addTo(createdAt);
    if (end == null || (expiresAt != null && expiresAt.isBefore(end))) {
      end = expiresAt;
    }
    return Optional.ofNullable(end);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("MandateConstraints{");
    append(out, NOT_BEFORE, notBefore);
    append(out, DURATION, duration);
    append(out, TIME_WINDOWS, timeWindows);
    append(out, RATE_LIMIT, rateLimit);
    append(out, MAX_AMOUNT, maxAmount);
    append(out, BUDGET, budget);
    append(out, ESCALATION_THRESHOLD, escalationThreshold);
    append(out, APPROVAL_REQUIRED, approvalRequired ? Boolean.TRUE : null);
    append(out, MFA_REQUIRED, mfa);
    if (!extensions.isEmpty()) {
      append(out, "extensions", extensions.keySet());
    }
    return out.append('}').toString();
  }

  private static void append(StringBuilder out, String key, Object value) {
    if (value != null) {
      out.append(out.charAt(out.length() - 1) == '{' ? "" : ", ").append(key).append('=').append(value);
    }
  }

  // ---- parsing ----

  private static String path(String key) {
    return ROOT + "." + key;
  }

  private static InvalidConstraintsException invalid(String param, Object value, String message) {
    return new InvalidConstraintsException(param, value, message);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object value, String param, Set<String> allowed) {
    if (!(value instanceof Map<?, ?> map)) {
      throw invalid(param, value, "must be an object");
    }
    for (Object key : new TreeSet<>((Set<Object>) map.keySet())) {
      if (!allowed.contains(key)) {
        throw invalid(
            param + "." + key,
            map.get(key),
            "unknown key; allowed are " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    return (Map<String, Object>) map;
  }

  private static Object required(Map<String, Object> object, String key, String param) {
    Object value = object.get(key);
    if (value == null) {
      throw invalid(param + "." + key, null, "is required");
    }
    return value;
  }

  private static String string(Object value, String param) {
    if (!(value instanceof String text)) {
      throw invalid(param, value, "must be a string");
    }
    return text;
  }

  private static boolean bool(Object value, String param) {
    if (!(value instanceof Boolean flag)) {
      throw invalid(param, value, "must be true or false");
    }
    return flag;
  }

  private static Instant instant(Object value, String param) {
    String text = string(value, param);
    Instant instant;
    try {
      instant = Timestamps.parseRfc3339(text);
    } catch (DateTimeException e) {
      throw invalid(
          param, value, Timestamps.NOT_RFC_3339);
    }
    if (!Timestamps.inRange(instant)) {
      throw invalid(param, value, Timestamps.OUT_OF_RANGE);
    }
    return instant;
  }

  private static IsoDuration duration(Object value, String param) {
    String text = string(value, param);
    try {
      return IsoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid(param, value, e.getMessage());
    }
  }

  private static Duration fixedDuration(Object value, String param) {
    IsoDuration duration = duration(value, param);
    if (!duration.isFixedLength()) {
      throw invalid(
          param, value, "must have a fixed length: use weeks, days, hours, minutes or seconds");
    }
    return duration.toDuration();
  }

  private static Duration windowPeriod(Object value, String param) {
    Duration period = fixedDuration(value, param);
    try {
      EpochWindows.checkPeriod(period);
    } catch (IllegalArgumentException e) {
      throw invalid(param, value, e.getMessage());
    }
    return period;
  }

  private static BigDecimal amount(Object value, String param) {
    try {
      return Amounts.parse(value);
    } catch (IllegalArgumentException e) {
      throw invalid(param, value, e.getMessage());
    }
  }

  private static String currency(Object value, String param) {
    if (!Amounts.isCurrency(value)) {
      throw invalid(param, value, "must be an ISO 4217 code: three upper-case letters");
    }
    return (String) value;
  }

  private static Money money(Object value, String param, Set<String> allowed) {
    Map<String, Object> object = object(value, param, allowed);
    BigDecimal amount = amount(required(object, "amount", param), param + ".amount");
    String currency = currency(required(object, "currency", param), param + ".currency");
    return new Money(amount, currency);
  }

  private static Budget budget(Object value) {
    String param = path(BUDGET);
    Money limit = money(value, param, Set.of("amount", "currency", "period"));
    Object period = ((Map<?, ?>) value).get("period");
    return new Budget(limit, period == null ? null : windowPeriod(period, param + ".period"));
  }

  private static RateLimit rateLimit(Object value) {
    String param = path(RATE_LIMIT);
    Map<String, Object> object = object(value, param, Set.of("max_uses", "period"));
    Object maxUses = required(object, "max_uses", param);
    long uses = wholeNumber(maxUses, param + ".max_uses");
    if (uses < 1) {
      throw invalid(param + ".max_uses", maxUses, "must be at least 1");
    }
    Duration period = windowPeriod(required(object, "period", param), param + ".period");
    return new RateLimit(uses, period);
  }

  private static long wholeNumber(Object value, String param) {
    if (value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number number) {
      try {
        BigDecimal decimal =
            number instanceof BigDecimal d ? d : new BigDecimal(number.toString());
        return decimal.longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw invalid(param, value, "must be a whole number");
      }
    }
    throw invalid(param, value, "must be a whole number");
  }

  private static TimeWindows timeWindows(Object value) {
    String param = path(TIME_WINDOWS);
    Map<String, Object> object = object(value, param, Set.of("time_zone", "windows"));
    Object zoneValue = required(object, "time_zone", param);
    String zoneName = string(zoneValue, param + ".time_zone");
    if (!ZoneId.getAvailableZoneIds().contains(zoneName)) {
      throw invalid(
          param + ".time_zone", zoneValue, "must be an IANA time zone such as \"Europe/Berlin\"");
    }
    Object windowsValue = required(object, "windows", param);
    if (!(windowsValue instanceof List<?> list) || list.isEmpty()) {
      throw invalid(param + ".windows", windowsValue, "must be a non-empty array");
    }
    List<TimeWindow> windows = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      windows.add(timeWindow(list.get(i), param + ".windows[" + i + "]"));
    }
    return new TimeWindows(ZoneId.of(zoneName), windows);
  }

  private static TimeWindow timeWindow(Object value, String param) {
    Map<String, Object> object = object(value, param, Set.of("days", "start", "end"));
    Object daysValue = required(object, "days", param);
    if (!(daysValue instanceof List<?> list) || list.isEmpty()) {
      throw invalid(param + ".days", daysValue, "must be a non-empty array of MON..SUN");
    }
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (int i = 0; i < list.size(); i++) {
      Object day = list.get(i);
      int index = DAY_NAMES.indexOf(day);
      if (index < 0) {
        throw invalid(
            param + ".days[" + i + "]", day, "must be one of " + String.join(", ", DAY_NAMES));
      }
      if (!days.add(DayOfWeek.of(index + 1))) {
        throw invalid(param + ".days[" + i + "]", day, "is listed twice");
      }
    }
    int start = minuteOfDay(required(object, "start", param), param + ".start", false);
    int end = minuteOfDay(required(object, "end", param), param + ".end", true);
    if (start == end) {
      throw invalid(
          param + ".end",
          object.get("end"),
          "must differ from start (use \"00:00\" to \"24:00\" for a whole day)");
    }
    return new TimeWindow(days, start, end);
  }

  private static int minuteOfDay(Object value, String param, boolean mayBe24) {
    if (!(value instanceof String text) || !HH_MM.matcher(text).matches()
        || (!mayBe24 && text.equals("24:00"))) {
      throw invalid(
          param, value, mayBe24 ? "must be HH:mm, 00:00..24:00" : "must be HH:mm, 00:00..23:59");
    }
    return Integer.parseInt(text.substring(0, 2)) * 60 + Integer.parseInt(text.substring(3));
  }

  private static void sameCurrency(Money maxAmount, Money budget, Money escalationThreshold) {
    String first = null;
    String firstKey = null;
    String[] keys = {MAX_AMOUNT, BUDGET, ESCALATION_THRESHOLD};
    Money[] amounts = {maxAmount, budget, escalationThreshold};
    for (int i = 0; i < keys.length; i++) {
      if (amounts[i] == null) {
        continue;
      }
      if (first == null) {
        first = amounts[i].currency();
        firstKey = keys[i];
      } else if (!first.equals(amounts[i].currency())) {
        throw invalid(
            path(keys[i]) + ".currency",
            amounts[i].currency(),
            "must be " + first + ", the currency of " + path(firstKey)
                + "; all amount constraints use one currency");
      }
    }
  }
}
