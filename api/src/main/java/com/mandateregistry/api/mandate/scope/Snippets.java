package com.mandateregistry.api.mandate.scope;

/**
 * Quoting of user input in error messages: control characters are escaped and a long value is cut
 * short, so that a message stays printable and small whatever the input.
 */
final class Snippets {

  private static final int MAX = 80;

  private Snippets() {}

  static String quote(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 3).append('\'');
    int shown = Math.min(value.length(), MAX);
    for (int i = 0; i < shown; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    if (value.length() > MAX) {
      out.append('…');
    }
    return out.append('\'').toString();
  }
}
