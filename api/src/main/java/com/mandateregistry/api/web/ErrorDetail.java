package com.mandateregistry.api.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
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

  /**
   * The value is echoed bounded ({@link #echo}); strings are kept well-formed: an unpaired
   * surrogate of the input becomes U+FFFD.
   */
  public ErrorDetail {
    value = echo(value);
    msg = WellFormed.text(msg);
    param = WellFormed.text(param);
  }

  /** How deep a structured value is echoed; deeper members are replaced by "…". */
  public static final int MAX_ECHO_DEPTH = 16;

  /** How many values (scalars, objects and arrays) an echo holds at most; the rest become "…". */
  public static final int MAX_ECHO_VALUES = 32;

  /**
   * A request value as an error echoes it: numbers, booleans and null as they are; every string
   * (and object key, and any other value, as its text) as its {@link #excerpt}, well-formed;
   * objects and arrays at most {@link #MAX_ECHO_DEPTH} levels deep and {@link
   * #MAX_ECHO_VALUES} values in all, what lies beyond replaced by "…". So an error is never much
   * larger than a few kilobytes, however large the value refused, and never deeper than any JSON
   * reader takes: a request may nest up to Jackson's read limit (1,000 levels), and its echo inside
   * the error envelope, a few levels deeper, would pass Jackson's write limit (a 500).
   */
  public static Object echo(Object value) {
    return bounded(value, 1, new int[] {MAX_ECHO_VALUES});
  }

  private static Object bounded(Object value, int depth, int[] budget) {
    // counted before anything else, nulls included: a list of nulls is as large as any other
    if (budget[0]-- <= 0) {
      return "…";
    }
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      if (depth > MAX_ECHO_DEPTH) {
        return "…";
      }
      Map<Object, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (budget[0] <= 0) {
          copy.putIfAbsent("…", "…");
          break;
        }
        // keys longer than 64 characters that agree in their first 32 show as one, with the first's value
        copy.putIfAbsent(text(e.getKey()), bounded(e.getValue(), depth + 1, budget));
      }
      return copy;
    }
    if (value instanceof Collection<?> list) {
      if (depth > MAX_ECHO_DEPTH) {
        return "…";
      }
      List<Object> copy = new ArrayList<>();
      for (Object v : list) {
        if (budget[0] <= 0) {
          copy.add("…");
          break;
        }
        copy.add(bounded(v, depth + 1, budget));
      }
      return copy;
    }
    // a string, or anything else a caller may pass (echoed as its text, bounded the same way)
    return text(value);
  }

  private static String text(Object value) {
    return WellFormed.text(excerpt(String.valueOf(value)));
  }
}
