package com.mandateregistry.api.web;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One problem with a request.
 *
 * @param value the offending value, or null when it was missing
 * @param msg what is wrong with it
 * @param param the parameter or JSON field path, for example {@code scope.effect}
 * @param location where the parameter was: {@code body}, {@code query}, {@code path} or {@code
 *     header}
 */
public record ErrorDetail(Object value, String msg, String param, String location) {

  /**
   * What an error echoes of a long value: its first 32 characters (whole code points) and "…" when
   * it has more than 64; a shorter value whole.
   */
  public static String excerpt(String value) {
    if (value.codePointCount(0, value.length()) > 64) {
      return value.substring(0, value.offsetByCodePoints(0, 32)) + "…";
    }
    return value;
  }

  /** Strings are kept well-formed: an unpaired surrogate of the input becomes U+FFFD. */
  public ErrorDetail {
    value = value instanceof String text ? WellFormed.text(text) : bounded(value, 1);
    msg = WellFormed.text(msg);
    param = WellFormed.text(param);
  }

  /** How deep a structured value is echoed; deeper members are replaced by "…". */
  public static final int MAX_ECHO_DEPTH = 16;

  /**
   * A request value as an error echoes it: maps and lists at most {@link #MAX_ECHO_DEPTH} levels
   * deep. A request may nest up to Jackson's read limit (1,000); echoed inside the error envelope,
   * a few levels deeper, it would exceed Jackson's write limit (a 500), and a PEP's parser's.
   */
  static Object bounded(Object value, int depth) {
    if (value instanceof Map<?, ?> map) {
      if (depth > MAX_ECHO_DEPTH) {
        return "…";
      }
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, bounded(v, depth + 1)));
      return copy;
    }
    if (value instanceof Collection<?> list) {
      if (depth > MAX_ECHO_DEPTH) {
        return "…";
      }
      return list.stream().map(v -> bounded(v, depth + 1)).toList();
    }
    return value;
  }
}
