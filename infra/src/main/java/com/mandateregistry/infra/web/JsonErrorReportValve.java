package com.mandateregistry.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own refusals, made before a request reaches the application (an undecodable or
 * encoded-slash path, a request line or headers over {@code server.max-http-request-header-size}),
 * in the error shape instead of Tomcat's HTML page. Errors the application handles never get
 * here: Spring answers those itself, through {@code ErrorHandling} or {@link ErrorEndpoint}.
 *
 * <p>Tomcat instantiates its host's error report valve by class name, so this class is public with
 * a no-argument constructor; {@code TomcatErrorPages} installs it.
 */
public class JsonErrorReportValve extends ErrorReportValve {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    try {
      // these requests never reached RequestFilters, which echoes X-Request-ID on all others
      String requestId = request.getHeader(RequestFilters.REQUEST_ID);
      response.setHeader(
          RequestFilters.REQUEST_ID,
          requestId != null && RequestFilters.echoable(requestId) ? requestId : UUID.randomUUID().toString());
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(JSON.writeValueAsString(ErrorEndpoint.body(status)));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response was committed meanwhile: nothing more to tell it
    }
  }
}
