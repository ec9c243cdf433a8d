package com.mandateregistry.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.api.web.ErrorResponse;
import com.mandateregistry.infra.config.RegistryProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of every request: sets the correlation id (from {@code X-Request-ID} when it is
 * sane, echoed back), refuses what Tomcat or Spring would otherwise misread (an undecodable or
 * repeated query parameter, a wildcard or non-UTF-8 Content-Type, a content coding), and caps the
 * body size, whether or not the client sent a Content-Length.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestFilters extends OncePerRequestFilter {

  static final String REQUEST_ID = "X-Request-ID";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private final long maxBody;
  private final ObjectMapper json;

  RequestFilters(RegistryProperties properties, ObjectMapper json) {
    this.maxBody = properties.maxBodySize().toBytes();
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader(REQUEST_ID);
    String correlationId =
        given != null && SAFE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    // echoed exactly as given (AuthZEN 1.0: the PDP SHALL include it; Tomcat bounds its length
    // and refuses control characters); logs and events use the safe correlation id
    response.setHeader(REQUEST_ID, given != null && echoable(given) ? given : correlationId);
    MDC.put("correlation_id", correlationId);
    try {
      String query = request.getQueryString();
      String undecodable = undecodableParameter(query);
      if (undecodable != null) {
        badRequest(
            response,
            "query parameter " + undecodable + " is not valid percent-encoded UTF-8",
            new ErrorDetail(null, "must be valid percent-encoded UTF-8", undecodable, "query"));
        return;
      }
      String repeated = repeatedParameter(query);
      if (repeated != null) {
        badRequest(
            response,
            "query parameter " + repeated + " is given more than once",
            new ErrorDetail(null, "must be given at most once", repeated, "query"));
        return;
      }
      String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
      String typeProblem = contentTypeProblem(contentType);
      if (typeProblem != null) {
        unsupportedMedia(request, response, typeProblem, contentType, HttpHeaders.CONTENT_TYPE);
        return;
      }
      String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
      if (encoding != null && !encoding.strip().equalsIgnoreCase("identity")) {
        unsupportedMedia(
            request,
            response,
            "Content-Encoding is not supported; send the body without a content coding",
            encoding,
            HttpHeaders.CONTENT_ENCODING);
        return;
      }
      if (request.getContentLengthLong() > maxBody) {
        badRequest(
            response,
            "request body exceeds " + maxBody + " bytes",
            new ErrorDetail(null, "at most " + maxBody + " bytes", "body", "body"));
        return;
      }
      chain.doFilter(new CappedRequest(request, maxBody), response);
    } finally {
      MDC.remove("correlation_id");
    }
  }

  private void badRequest(HttpServletResponse response, String message, ErrorDetail detail)
      throws IOException {
    response.setStatus(400);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(
        response.getOutputStream(), new ErrorResponse("VALIDATION_ERROR", message, List.of(detail)));
  }

  /**
   * Whether an {@code X-Request-ID} may be written back as it came: not empty, no control
   * characters. Tomcat refuses those in the headers of a request it hands on; this is for requests
   * it refused itself ({@link JsonErrorReportValve}).
   */
  static boolean echoable(String requestId) {
    return !requestId.isEmpty() && requestId.chars().noneMatch(c -> c < 0x20 || c == 0x7F);
  }

  /**
   * A body's media type that is not one: unparseable, a wildcard ({@code *}{@code /*}, {@code
   * application/*}: Spring fails on it deep inside, with a 500), or a charset other than UTF-8,
   * the only encoding of JSON (RFC 8259). What is parseable and not JSON is left to the endpoint.
   */
  static String contentTypeProblem(String contentType) {
    if (contentType == null) {
      return null;
    }
    MediaType type;
    try {
      type = MediaType.parseMediaType(contentType);
    } catch (InvalidMediaTypeException e) {
      return "Content-Type is not a valid media type";
    }
    if (type.isWildcardType() || type.isWildcardSubtype()) {
      return "Content-Type must name one media type, not a wildcard";
    }
    if (type.getCharset() != null && !type.getCharset().equals(StandardCharsets.UTF_8)) {
      return "Content-Type names the charset " + type.getCharset().name() + "; JSON is UTF-8";
    }
    return null;
  }

  /**
   * 415 in the error shape, or 400 on the AuthZEN endpoints, whose specification lists no 415 (as
   * {@code AuthZenController} answers an unsupported media type).
   */
  private void unsupportedMedia(
      HttpServletRequest request, HttpServletResponse response, String message, String value, String header)
      throws IOException {
    boolean authZen = request.getServletPath().startsWith("/access/"); // decoded, as the handler mapping sees it
    response.setStatus(authZen ? 400 : 415);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(
        response.getOutputStream(),
        new ErrorResponse(
            authZen ? "VALIDATION_ERROR" : "UNSUPPORTED_MEDIA_TYPE",
            message,
            List.of(new ErrorDetail(ErrorDetail.excerpt(value), message, header, "header"))));
  }

  /**
   * The first query parameter (as far as it can be read) whose name or value is not valid
   * percent-encoding of UTF-8 ({@code %zz}, {@code %C0%80}), or null. Tomcat silently drops such
   * a parameter, so {@code ?status=SUSPENDED%zz} would list every status.
   */
  static String undecodableParameter(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!decodable(name) || (eq >= 0 && !decodable(pair.substring(eq + 1)))) {
        return decodable(name) ? URLDecoder.decode(name, StandardCharsets.UTF_8) : ErrorDetail.excerpt(name);
      }
    }
    return null;
  }

  /** Whether {@code text} percent-decodes (with {@code +} as a space) to well-formed UTF-8. */
  static boolean decodable(String text) {
    if (text.indexOf('%') < 0) {
      return true; // Tomcat has already refused raw bytes outside ASCII in the request line
    }
    byte[] bytes = new byte[text.length()];
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          return false;
        }
        int high = Character.digit(text.charAt(i + 1), 16);
        int low = Character.digit(text.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return false;
        }
        bytes[n++] = (byte) (high * 16 + low);
        i += 2;
      } else {
        bytes[n++] = (byte) c;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, n));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * The first query parameter name that occurs twice, or null. No endpoint takes a parameter more
   * than once, and silently using the first of two values ({@code ?limit=1&limit=500}) would hide
   * a client's mistake.
   */
  static String repeatedParameter(String query) {
    if (query == null || query.isEmpty()) {
      return null;
    }
    Set<String> seen = new HashSet<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String name = decodedName(pair);
      if (name == null) {
        continue; // an undecodable name: the endpoint reports it, if it reads it
      }
      if (!seen.add(name)) {
        return name;
      }
    }
    return null;
  }

  /**
   * The name of a query parameter {@code pair} ({@code name} or {@code name=value}), percent-decoded
   * as Tomcat decodes it ({@code +} is a space); null if it cannot be decoded.
   */
  static String decodedName(String pair) {
    int eq = pair.indexOf('=');
    try {
      return URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Counts body bytes as they are read and fails past the cap (for chunked bodies). */
  private static final class CappedRequest extends HttpServletRequestWrapper {

    private final long limit;
    private ServletInputStream stream;

    CappedRequest(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream in = super.getInputStream();
        stream =
            new ServletInputStream() {
              private long count;

              @Override
              public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                  check(1);
                }
                return b;
              }

              @Override
              public int read(byte[] buf, int off, int len) throws IOException {
                int n = in.read(buf, off, len);
                if (n > 0) {
                  check(n);
                }
                return n;
              }

              private void check(int n) throws IOException {
                count += n;
                if (count > limit) {
                  throw new BodyTooLargeException(limit);
                }
              }

              @Override
              public boolean isFinished() {
                return in.isFinished();
              }

              @Override
              public boolean isReady() {
                return in.isReady();
              }

              @Override
              public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
              }
            };
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }
}
