package com.mandateregistry.infra.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.web.ErrorResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/** Writes the error shape from filters, which run before Spring MVC's exception handling. */
@Component
class ErrorWriter {

  private final ObjectMapper json;

  ErrorWriter(ObjectMapper json) {
    this.json = json;
  }

  void write(HttpServletResponse response, int status, String code, String message)
      throws IOException {
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    if (status == 401 && !response.containsHeader("WWW-Authenticate")) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    json.writeValue(response.getOutputStream(), new ErrorResponse(code, message, List.of()));
  }
}
