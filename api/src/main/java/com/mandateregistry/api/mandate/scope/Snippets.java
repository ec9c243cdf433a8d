package com.mandateregistry.api.mandate.scope;

/**
 * Quoting of user input in error messages: control characters and unpaired surrogates are escaped
 * and a long value is cut short (between code points), so that a message stays printable, small
 * and well-formed whatever the input.
 */
final class Snippets {

  /** Code points shown of a quoted value. */
  private static final int MAX = 80;

  private Snippets() {}

  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 3).append('\'');
    // whole code points only: a cut through a surrogate pair would leave half a character, which
    // no JSON answer may carry
    int shown = value.codePointCount(0, value.length()) > MAX ? value.offsetByCodePoints(0, MAX) : value.length();
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.isSurrogate(c) && !pairedAt(value, i)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    if (shown < value.length()) {
      out.append('…');
    }
    return out.append('\'').toString();
  }

  /** Whether the surrogate at {@code i} is half of a well-formed pair. */
  private static boolean pairedAt(String value, int i) {
    char c = value.charAt(i);
    return Character.isHighSurrogate(c)
        ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
  }

  /** One character of user input for a message: the code point at {@code i}, or U+XXXX if unprintable. */
  static String character(String value, int i) {
    int codePoint = value.codePointAt(i);
    if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)
        || Character.getType(codePoint) == Character.SURROGATE) {
      return String.format("U+%04X", codePoint);
    }
    return "'" + Character.toString(codePoint) + "'";
  }
}
