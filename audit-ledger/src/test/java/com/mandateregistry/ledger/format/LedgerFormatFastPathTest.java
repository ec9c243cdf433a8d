package com.mandateregistry.ledger.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The formatter-free timestamp reader and the loop-based hash check against the reference ones. */
class LedgerFormatFastPathTest {

  private static Instant slow(String text) {
    try {
      return LedgerFormat.parseTimestampSlowly(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void assertSame(String text) {
    assertThat(LedgerFormat.parseValidTimestamp(text)).as(text).isEqualTo(slow(text));
  }

  @Test
  void timestampsAreReadLikeTheFormatterReadsThem() {
    for (String text : new String[] {
      "2025-03-01T09:30:00.120Z", "0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
      "2024-02-29T12:00:00.000Z", "2025-02-29T12:00:00.000Z", "2000-02-29T00:00:00.000Z",
      "1900-02-29T00:00:00.000Z", "0000-02-29T00:00:00.000Z", "2025-04-31T00:00:00.000Z",
      "2025-13-01T00:00:00.000Z", "2025-00-01T00:00:00.000Z", "2025-01-00T00:00:00.000Z",
      "2025-01-01T24:00:00.000Z", "2025-01-01T23:60:00.000Z", "2025-01-01T23:59:60.000Z",
      "2025-03-01T09:30:00Z", "2025-03-01T09:30:00.12Z", "2025-03-01T09:30:00.1200Z",
      "2025-03-01 09:30:00.120Z", "2025-03-01T09:30:00.120z", "+2025-03-01T09:30:00.120Z",
      "2025-03-01T09:30:00.120+00:00", "20250-03-01T09:30:00.120Z", "2025-03-01T09:30:00.12aZ",
      "２025-03-01T09:30:00.120Z", "2025-03-01T09:3０:00.120Z", "", "x",
    }) {
      assertSame(text);
    }
    assertThat(LedgerFormat.parseValidTimestamp("2025-02-29T12:00:00.000Z")).isNull();
    assertThat(LedgerFormat.parseValidTimestamp("2024-02-29T12:00:00.000Z"))
        .isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
    Random random = new Random(3);
    int valid = 0;
    for (int i = 0; i < 50_000; i++) {
      String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", random.nextInt(10_000),
          random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62), random.nextInt(62),
          random.nextInt(1000));
      if (random.nextInt(10) == 0) { // damage one character
        char[] chars = text.toCharArray();
        chars[random.nextInt(chars.length)] = "0123456789-:.TZ x\u0660".charAt(random.nextInt(18));
        text = new String(chars);
      }
      assertSame(text);
      valid += slow(text) != null ? 1 : 0;
    }
    assertThat(valid).isBetween(10_000, 45_000);
  }

  @Test
  void hashShapeIsTheRegex() {
    Pattern shape = Pattern.compile("[0-9a-f]{64}");
    Random random = new Random(4);
    String alphabet = "0123456789abcdefABCDEFg/:`@ \u0660";
    for (int i = 0; i < 20_000; i++) {
      int length = random.nextInt(4) == 0 ? random.nextInt(70) : 64;
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < length; j++) {
        sb.append(random.nextInt(20) == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
            : alphabet.charAt(random.nextInt(16)));
      }
      String text = sb.toString();
      assertThat(LedgerFormat.isHash(text)).as(text).isEqualTo(shape.matcher(text).matches());
    }
    assertThat(LedgerFormat.isHash(null)).isFalse();
    assertThat(LedgerFormat.isHash(LedgerFormat.GENESIS_HASH)).isTrue();
  }
}
