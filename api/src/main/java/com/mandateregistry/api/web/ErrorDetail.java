package com.mandateregistry.api.web;

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
    value = value instanceof String text ? WellFormed.text(text) : value;
    msg = WellFormed.text(msg);
    param = WellFormed.text(param);
  }
}
