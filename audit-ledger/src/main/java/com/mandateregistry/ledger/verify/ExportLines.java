package com.mandateregistry.ledger.verify;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of an export, one at a time. A line ends at {@code \n} (or at the end of the input);
 * a {@code \r} just before that end is dropped, and no other byte ends a line.
 *
 * <p>Read from bytes ({@link #of(InputStream)}), each line is decoded strictly: a line that is not
 * well-formed UTF-8 (a stray or cut sequence, an overlong form, an encoded surrogate, a byte such as
 * {@code FF}) is returned as text with U+FFFD in place of the bad bytes, so that its sequence and
 * event id can still be named, and {@link #problem()} says what is wrong with it. It is never
 * verified as that text.
 */
abstract class ExportLines {

  /** The next line without its end, or null at the end of the input. */
  abstract String next() throws IOException;

  /** Why the line last returned is not well-formed text, or null when it is. */
  abstract String problem();

  /** Lines decoded strictly from UTF-8 bytes. */
  static ExportLines of(InputStream in) {
    return new Utf8Lines(in);
  }

  /**
   * Lines of text that was decoded already (whoever decoded it judged its bytes); an unpaired
   * surrogate in it is still refused where it would be hashed.
   */
  static ExportLines of(BufferedReader reader) {
    return new ExportLines() {
      @Override
      String next() throws IOException {
        return reader.readLine();
      }

      @Override
      String problem() {
        return null;
      }
    };
  }

  private static final class Utf8Lines extends ExportLines {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private final ByteBuffer bufView = ByteBuffer.wrap(buf);
    private int pos;
    private int limit;
    /** A line that spans reads is gathered here. */
    private byte[] spill = new byte[4096];
    private int spillLen;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer chars = CharBuffer.allocate(4096);
    private String problem;

    Utf8Lines(InputStream in) {
      this.in = in;
    }

    @Override
    String problem() {
      return problem;
    }

    @Override
    String next() throws IOException {
      problem = null;
      spillLen = 0;
      boolean spilled = false;
      while (true) {
        if (pos == limit) {
          int n = in.read(buf);
          if (n < 0) {
            if (!spilled) {
              return null;
            }
            return decode(ByteBuffer.wrap(spill, 0, trimCr(spill, 0, spillLen)));
          }
          pos = 0;
          limit = n;
        }
        int start = pos;
        int end = start;
        while (end < limit && buf[end] != '\n') {
          end++;
        }
        pos = end < limit ? end + 1 : end;
        if (end < limit && !spilled) { // the common case: the whole line is in the buffer
          int length = trimCr(buf, start, end - start);
          bufView.limit(start + length).position(start);
          return decode(bufView);
        }
        if (spillLen + end - start > spill.length) {
          spill = Arrays.copyOf(spill, Math.max(spill.length * 2, spillLen + end - start));
        }
        System.arraycopy(buf, start, spill, spillLen, end - start);
        spillLen += end - start;
        spilled = true;
        if (end < limit) {
          return decode(ByteBuffer.wrap(spill, 0, trimCr(spill, 0, spillLen)));
        }
      }
    }

    private static int trimCr(byte[] bytes, int start, int length) {
      return length > 0 && bytes[start + length - 1] == '\r' ? length - 1 : length;
    }

    private String decode(ByteBuffer bytes) {
      int length = bytes.remaining();
      if (chars.capacity() < length) { // UTF-8 never gives more chars than bytes
        chars = CharBuffer.allocate(Math.max(chars.capacity() * 2, length));
      }
      chars.clear();
      decoder.reset();
      int start = bytes.position();
      CoderResult result = decoder.decode(bytes, chars, true);
      if (!result.isError()) {
        result = decoder.flush(chars);
      }
      if (result.isError()) {
        int at = bytes.position() - start;
        problem = "line is not well-formed UTF-8: " + describe(bytes, bytes.position(), result.length())
            + " at byte " + (at + 1) + " of the line";
        bytes.position(start);
        byte[] raw = new byte[length];
        bytes.get(raw);
        return new String(raw, StandardCharsets.UTF_8); // only to name the entry in the message
      }
      return new String(chars.array(), 0, chars.position());
    }

    private static String describe(ByteBuffer bytes, int at, int length) {
      StringBuilder hex = new StringBuilder("bytes");
      for (int i = 0; i < length && at + i < bytes.limit(); i++) {
        hex.append(String.format(" %02X", bytes.get(at + i) & 0xFF));
      }
      return length == 1 ? hex.toString().replace("bytes", "byte") : hex.toString();
    }
  }
}
