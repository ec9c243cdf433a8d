package com.mandateregistry.infra.web;

import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.ErrorDetail;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
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
 * event, would stop a projection that retries it for ever), and numbers beyond the range of a
 * double ({@code 1e999999}), which no JSON consumer of the audit trail could read back.
 *
 * <p>Only escapes can carry these characters ({@code \u0000}, a lone {@code \ud800}): a raw
 * control character is already malformed JSON, and a raw surrogate is malformed UTF-8; both are
 * refused here too or by Jackson. Bodies are capped at {@code max-body-size}, so reading one whole
 * costs little.
 */
@ControllerAdvice
class JsonBodyChecks extends RequestBodyAdviceAdapter {

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
      if (inString) {
        if (c == '"') {
          inString = false;
        } else if (c == 0xED && i + 1 < json.length && (json[i + 1] & 0xFF) >= 0xA0) {
          return "a UTF-16 surrogate encoded as UTF-8";
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
          if (Double.isInfinite(Double.parseDouble(new String(json, i, end - i, StandardCharsets.US_ASCII)))) {
            return "a number beyond the range of a double";
          }
        } catch (NumberFormatException e) {
          return null; // malformed: Jackson says where
        }
        i = end - 1;
      }
    }
    return null;
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
