package com.mandateregistry.api.mandate;

import java.text.Normalizer;

/**
 * Unicode Normalization Form C for the ids that verification compares: a delegate's subject id and
 * resource ids (patterns at creation, the resource at verification). They are compared code unit
 * for code unit, so two canonically equivalent spellings ({@code café} with a precomposed {@code
 * é}, or with {@code e} and a combining accent) would be two ids, and a DENY mandate on one would
 * not cover the other. Refusing what is not NFC at both ends leaves one spelling per id.
 */
public final class Nfc {

  /** The error message for an id that is not NFC. */
  public static final String MESSAGE = "must be in Unicode Normalization Form C (NFC)";

  private Nfc() {}

  /** Whether {@code text} is in NFC; cheap for text below U+0300, which always is. */
  public static boolean isNormalized(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= '\u0300') {
        return Normalizer.isNormalized(text, Normalizer.Form.NFC);
      }
    }
    return true;
  }
}
