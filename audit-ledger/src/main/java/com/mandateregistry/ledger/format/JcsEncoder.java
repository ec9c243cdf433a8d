package com.mandateregistry.ledger.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.erdtman.jcs.NumberToJSON;

/**
 * RFC 8785 (JCS) canonical JSON written straight from a Jackson tree into a reusable byte buffer, as
 * UTF-8. It gives the same bytes as {@code new JsonCanonicalizer(mapper.writeValueAsString(node))
 * .getEncodedUTF8()} (the reference path, which writes the tree as text and parses it again), without
 * the second parse: {@code JcsEncoderTest} compares the two on generated and hand-picked inputs.
 *
 * <ul>
 *   <li>Object members sorted by their names compared as UTF-16 code units ({@link
 *       String#compareTo}), arrays in order, no white space.
 *   <li>Strings: {@code \"} and {@code \\}; {@code \b \t \n \f \r}; other characters below U+0020
 *       as backslash-u-00xx (lowercase hex); everything else as itself in UTF-8. An unpaired surrogate
 *       (a string that is not well-formed Unicode) is written as {@code ?}, as {@link
 *       String#getBytes} (and so the reference path) does; a {@link #strict()} encoder, the
 *       verifier's, refuses it instead.
 *   <li>Numbers: the IEEE 754 double the number's text denotes, written by the library's own {@link
 *       NumberToJSON#serializeNumber} (ECMAScript Number.prototype.toString). A number outside the
 *       range of a double is refused, as the library refuses it.
 *   <li>{@code true}, {@code false}, {@code null}.
 * </ul>
 *
 * <p>Not thread-safe: one instance per thread, reused entry after entry.
 */
public final class JcsEncoder {

  private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private final boolean strict;
  private byte[] buf = new byte[2048];
  private int len;
  private String[] names = new String[16];
  private int namesTop;

  /** An encoder that writes an unpaired surrogate as {@code ?} (the service's, before hashing). */
  public JcsEncoder() {
    this(false);
  }

  private JcsEncoder(boolean strict) {
    this.strict = strict;
  }

  /**
   * An encoder that refuses a string holding an unpaired surrogate with an {@link
   * IllegalArgumentException}, instead of writing {@code ?}: a verifier must not hash text that is
   * not Unicode as some other text.
   */
  public static JcsEncoder strict() {
    return new JcsEncoder(true);
  }

  /** Empties the buffer. */
  public JcsEncoder reset() {
    len = 0;
    return this;
  }

  /** The bytes written so far (a copy). */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  /** Feeds the bytes written so far to {@code digest}. */
  public void updateDigest(MessageDigest digest) {
    digest.update(buf, 0, len);
  }

  public int length() {
    return len;
  }

  /** The bytes written so far as a string (they are UTF-8). */
  public String toUtf8String() {
    return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Appends the UTF-8 bytes of {@code text} as they are (text that is canonical already). */
  public JcsEncoder appendUtf8(String text) {
    return appendRaw(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** Appends raw bytes (for a prefix). */
  public JcsEncoder appendRaw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
    return this;
  }

  /**
   * Appends the canonical form of {@code value}.
   *
   * @throws IOException if a number cannot be canonicalised (NaN, infinite, or outside the range of
   *     a double), with the library's message
   */
  public JcsEncoder write(JsonNode value) throws IOException {
    switch (value.getNodeType()) {
      case OBJECT -> writeObject(value);
      case ARRAY -> {
        put((byte) '[');
        boolean first = true;
        for (JsonNode element : value) {
          if (!first) {
            put((byte) ',');
          }
          first = false;
          write(element);
        }
        put((byte) ']');
      }
      case STRING -> writeString(value.textValue());
      case NUMBER -> writeNumber(value);
      case BOOLEAN -> appendRaw(value.booleanValue() ? TRUE : FALSE);
      case NULL -> appendRaw(NULL);
      default -> throw new IOException("not a JSON value: " + value.getNodeType());
    }
    return this;
  }

  /** Appends {@code "name":}, the name in canonical string form. */
  public JcsEncoder writeName(String name) {
    writeString(name);
    put((byte) ':');
    return this;
  }

  /** Appends one byte of structure: '{', '}', ',' … */
  public JcsEncoder writeByte(char c) {
    put((byte) c);
    return this;
  }

  private void writeObject(JsonNode object) throws IOException {
    int size = object.size();
    int base = namesTop;
    if (names.length < base + size) {
      names = Arrays.copyOf(names, Math.max(names.length * 2, base + size));
    }
    int n = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      names[base + n++] = it.next().getKey();
    }
    // insertion sort: objects are small; String.compareTo is UTF-16 code unit order, as JCS wants
    for (int i = base + 1; i < base + n; i++) {
      String key = names[i];
      int j = i - 1;
      while (j >= base && names[j].compareTo(key) > 0) {
        names[j + 1] = names[j];
        j--;
      }
      names[j + 1] = key;
    }
    namesTop = base + n;
    try {
      put((byte) '{');
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          put((byte) ',');
        }
        String name = names[base + i];
        writeName(name);
        write(object.get(name));
      }
      put((byte) '}');
    } finally {
      Arrays.fill(names, base, base + n, null);
      namesTop = base;
    }
  }

  private void writeNumber(JsonNode number) throws IOException {
    double value;
    if (number.isIntegralNumber() && number.canConvertToLong()) {
      value = (double) number.longValue(); // correctly rounded, as parsing its digits would be
    } else {
      // what Jackson writes for the node (BigInteger or BigDecimal digits, Double/Float.toString),
      // read as a double, exactly as the reference path reads it back
      value = Double.parseDouble(number.asText());
    }
    String text = NumberToJSON.serializeNumber(value); // throws for NaN and infinity
    ensure(text.length());
    for (int i = 0; i < text.length(); i++) {
      buf[len++] = (byte) text.charAt(i);
    }
  }

  /**
   * Appends {@code s} as a canonical JSON string.
   *
   * @throws IllegalArgumentException if this encoder is {@link #strict()} and {@code s} holds an
   *     unpaired surrogate
   */
  public JcsEncoder writeString(String s) {
    int n = s.length();
    ensure(n * 3 + 2); // at most 3 bytes per char in UTF-8 (a pair: 4 bytes for 2 chars); escapes: see below
    byte[] b = buf;
    int p = len;
    b[p++] = '"';
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          b[p++] = (byte) c;
          continue;
        }
        len = p;
        ensure((n - i) * 6 + 1);
        b = buf;
        b[p++] = '\\';
        switch (c) {
          case '"' -> b[p++] = '"';
          case '\\' -> b[p++] = '\\';
          case '\b' -> b[p++] = 'b';
          case '\t' -> b[p++] = 't';
          case '\n' -> b[p++] = 'n';
          case '\f' -> b[p++] = 'f';
          case '\r' -> b[p++] = 'r';
          default -> {
            b[p++] = 'u';
            b[p++] = '0';
            b[p++] = '0';
            b[p++] = HEX[c >>> 4];
            b[p++] = HEX[c & 0xF];
          }
        }
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >>> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        char low;
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(low = s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, low);
          b[p++] = (byte) (0xF0 | (cp >>> 18));
          b[p++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
          b[p++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
          b[p++] = (byte) (0x80 | (cp & 0x3F));
          i++;
        } else if (strict) {
          throw new IllegalArgumentException(String.format(
              "string holds an unpaired surrogate \\u%04x, which is not Unicode", (int) c));
        } else {
          b[p++] = '?'; // as String.getBytes(UTF_8) writes an unpaired surrogate
        }
      } else {
        b[p++] = (byte) (0xE0 | (c >>> 12));
        b[p++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    b[p++] = '"';
    len = p;
    return this;
  }

  private void put(byte b) {
    if (len == buf.length) {
      ensure(1);
    }
    buf[len++] = b;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }
}
