package com.mandateregistry.infra.web;

import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.ErrorDetail;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses, before Jackson reads a JSON body, what JSON can say but the registry cannot keep: the
 * character U+0000 and unpaired UTF-16 surrogates in any string or key (PostgreSQL's {@code text}
 * and {@code jsonb} refuse the first, and the second is not Unicode text; either, once in an
 * event, would stop a projection that retries it for ever), numbers beyond the range of a double
 * ({@code 1e999999}), which no JSON consumer of the audit trail could read back, and numbers with
 * more than {@value #MAX_PLAIN_DIGITS} digits written out ({@code 1e-999}), which PostgreSQL's
 * {@code jsonb} writes out in full and Jackson then refuses to read.
 *
 * <p>Only escapes can carry these characters ({@code \u0000}, a lone {@code \ud800}) in a
 * well-formed body: a raw control character is malformed JSON, and a raw surrogate is malformed
 * UTF-8. So the body's bytes must also be well-formed UTF-8 (RFC 3629): Jackson decodes some
 * ill-formed sequences rather than refusing them ({@code C0 80} becomes U+0000, {@code C0 AF} a
 * {@code /}). Bodies are capped at {@code max-body-size}, so reading one whole
 * costs little.
 */
@ControllerAdvice
class JsonBodyChecks extends RequestBodyAdviceAdapter {

  /** Most digits a number may have written out ({@link #plainDigits}); Jackson reads 1,000. */
  static final int MAX_PLAIN_DIGITS = 500;

  /** Larger declared lengths are not trusted to size an array (the body cap is far below it). */
  private static final int MAX_PRESIZED = 1 << 20;

  @Override
  public boolean supports(
      MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
    return AbstractJackson2HttpMessageConverter.class.isAssignableFrom(converterType);
  }

  @Override
  public HttpInputMessage beforeBodyRead(
      HttpInputMessage input,
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType)
      throws IOException {
    byte[] body = readBody(input.getBody(), input.getHeaders().getContentLength());
    String problem = problem(body);
    if (problem != null) {
      throw ApiException.badRequest(
          "request body holds " + problem, new ErrorDetail(null, "must not hold " + problem, "body", "body"));
    }
    HttpHeaders headers = input.getHeaders();
    return new HttpInputMessage() {
      @Override
      public InputStream getBody() {
        return new ByteArrayInputStream(body);
      }

      @Override
      public HttpHeaders getHeaders() {
        return headers;
      }
    };
  }

  /**
   * The whole body. With its length declared ({@code Content-Length}, the usual case), into an
   * array of that size: {@link InputStream#readAllBytes()} starts with an 8 KiB buffer and copies,
   * which made this the largest allocation of a verification's request thread. Bytes beyond the
   * declared length are still read, and a body shorter than declared is returned as it is (Jackson
   * then says what is wrong with it).
   */
  static byte[] readBody(InputStream in, long declaredLength) throws IOException {
    if (declaredLength < 0 || declaredLength > MAX_PRESIZED) {
      return in.readAllBytes();
    }
    byte[] declared = in.readNBytes((int) declaredLength);
    int next = in.read();
    if (next < 0) {
      return declared;
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream(declared.length + 64);
    all.write(declared);
    all.write(next);
    in.transferTo(all);
    return all.toByteArray();
  }

  /** What is wrong with {@code json} (UTF-8) in the sense above, or null. */
  static String problem(byte[] json) {
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      int c = json[i] & 0xFF;
      if (c >= 0x80) {
        int length = utf8SequenceLength(json, i);
        if (length < 0) {
          return c == 0xED && i + 1 < json.length && (json[i + 1] & 0xFF) >= 0xA0
              ? "a UTF-16 surrogate encoded as UTF-8"
              : "bytes that are not well-formed UTF-8";
        }
        i += length - 1;
      } else if (inString) {
        if (c == '"') {
          inString = false;
        } else if (c == '\\' && i + 1 < json.length) {
          if (json[i + 1] != 'u') {
            i++; // \" \\ \/ \b \f \n \r \t: one character
            continue;
          }
          int unit = hex4(json, i + 2);
          if (unit < 0) {
            return null; // a malformed escape: Jackson says where
          }
          if (unit == 0) {
            return "the character U+0000 (\\u0000)";
          }
          if (unit >= 0xDC00 && unit <= 0xDFFF) {
            return "an unpaired UTF-16 surrogate";
          }
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            int low = i + 7 < json.length && json[i + 6] == '\\' && json[i + 7] == 'u' ? hex4(json, i + 8) : -1;
            if (low < 0xDC00 || low > 0xDFFF) {
              return "an unpaired UTF-16 surrogate";
            }
            i += 11;
            continue;
          }
          i += 5;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        int end = i;
        while (end < json.length && isNumberChar(json[end])) {
          end++;
        }
        try {
          String number = new String(json, i, end - i, StandardCharsets.US_ASCII);
          if (Double.isInfinite(Double.parseDouble(number))) {
            return "a number beyond the range of a double";
          }
          if (hasExponent(json, i, end) && plainDigits(new BigDecimal(number)) > MAX_PLAIN_DIGITS) {
            return "a number with more than " + MAX_PLAIN_DIGITS + " digits when written out";
          }
        } catch (NumberFormatException e) {
          return null; // malformed: Jackson says where
        }
        i = end - 1;
      }
    }
    return null;
  }

  /**
   * The length of the well-formed UTF-8 sequence that starts at {@code at} (a byte of 0x80 or
   * more), or -1: RFC 3629's table, so overlong forms ({@code C0 80} for U+0000, which Jackson
   * would decode), encoded surrogates, code points beyond U+10FFFF and cut sequences are refused.
   */
  static int utf8SequenceLength(byte[] bytes, int at) {
    int lead = bytes[at] & 0xFF;
    int length;
    int low = 0x80;
    int high = 0xBF; // the range of the second byte; the others are always 80..BF
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) {
        low = 0xA0;
      } else if (lead == 0xED) {
        high = 0x9F;
      }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) {
        low = 0x90;
      } else if (lead == 0xF4) {
        high = 0x8F;
      }
    } else {
      return -1; // a continuation byte, C0, C1 or F5..FF
    }
    if (at + length > bytes.length) {
      return -1;
    }
    int second = bytes[at + 1] & 0xFF;
    if (second < low || second > high) {
      return -1;
    }
    for (int k = at + 2; k < at + length; k++) {
      int b = bytes[k] & 0xFF;
      if (b < 0x80 || b > 0xBF) {
        return -1;
      }
    }
    return length;
  }

  private static boolean hasExponent(byte[] json, int from, int to) {
    for (int k = from; k < to; k++) {
      if (json[k] == 'e' || json[k] == 'E') {
        return true;
      }
    }
    return false;
  }

  /**
   * How many digits {@code n} has written without an exponent, as PostgreSQL's {@code jsonb}
   * writes it back: {@code 1E-1000} is short to send but 1,001 digits there, beyond what Jackson
   * reads (1,000), so the stored mandate could no longer be read.
   */
  static long plainDigits(BigDecimal n) {
    long precision = n.precision();
    long scale = n.scale();
    return scale <= 0 ? precision - scale : Math.max(precision, scale) + 1;
  }

  private static boolean isNumberChar(byte b) {
    return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
  }

  /** The four hex digits at {@code at} as a number, or -1. */
  private static int hex4(byte[] json, int at) {
    if (at + 4 > json.length) {
      return -1;
    }
    int value = 0;
    for (int k = at; k < at + 4; k++) {
      int d = Character.digit(json[k], 16);
      if (d < 0) {
        return -1;
      }
      value = value * 16 + d;
    }
    return value;
  }
}
