package com.mandateregistry.ledger;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque pagination cursor of the event endpoints: base64url (no padding) of {@code
 * "ledger:v1:<afterSequence>"}. Clients must not look inside; it only has to survive a round trip.
 */
public final class LedgerCursor {

  private static final String PREFIX = "ledger:v1:";

  private LedgerCursor() {}

  public static String encode(long afterSequence) {
    if (afterSequence < 0) {
      throw new IllegalArgumentException("afterSequence is at least 0");
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + afterSequence).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * @return the afterSequence the cursor stands for
   * @throws IllegalArgumentException if {@code cursor} is not one that {@link #encode} made
   */
  public static long decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (!text.startsWith(PREFIX)) {
        throw new IllegalArgumentException("invalid cursor");
      }
      long value = Long.parseLong(text.substring(PREFIX.length()));
      if (value < 0 || !encode(value).equals(cursor)) {
        throw new IllegalArgumentException("invalid cursor");
      }
      return value;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid cursor", e);
    }
  }
}
