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
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter of every request: sets the correlation id (from {@code X-Request-ID} when it is
 * sane, echoed back) and caps the body size, whether or not the client sent a Content-Length.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestFilters extends OncePerRequestFilter {

  static final String REQUEST_ID = "X-Request-ID";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
  private static final Pattern ECHOABLE = Pattern.compile("[\\x20-\\x7E]{1,256}");

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
    // echoed as given (AuthZEN: "the PDP MUST include the same identifier"), if it is printable
    // and not absurdly long; logs and events use the safe correlation id
    response.setHeader(REQUEST_ID, given != null && echoable(given) ? given : correlationId);
    MDC.put("correlation_id", correlationId);
    try {
      String repeated = repeatedParameter(request.getQueryString());
      if (repeated != null) {
        badRequest(
            response,
            "query parameter " + repeated + " is given more than once",
            new ErrorDetail(null, "must be given at most once", repeated, "query"));
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

  /** Whether an {@code X-Request-ID} may be echoed as sent: printable ASCII, 1 to 256 characters. */
  static boolean echoable(String requestId) {
    return ECHOABLE.matcher(requestId).matches();
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
      int eq = pair.indexOf('=');
      String name;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        continue; // an undecodable name: the endpoint reports it, if it reads it
      }
      if (!seen.add(name)) {
        return name;
      }
    }
    return null;
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
