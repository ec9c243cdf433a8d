package com.mandateregistry.infra.web;

import com.mandateregistry.api.web.ErrorResponse;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error}, where the servlet container sends what failed outside Spring MVC (a filter's
 * exception, a {@code sendError}), in the error shape instead of Spring Boot's own body. Called
 * directly, it is an unknown route.
 */
@RestController
class ErrorEndpoint implements ErrorController {

  @RequestMapping("/error")
  ResponseEntity<ErrorResponse> error(HttpServletRequest request) {
    Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (!(status instanceof Integer code) || code < 400) {
      return ResponseEntity.status(404)
          .body(new ErrorResponse("NOT_FOUND", "no such endpoint: /error", List.of()));
    }
    return ResponseEntity.status(code).body(body(code));
  }

  /** The error body for a status that nothing more specific explained. */
  static ErrorResponse body(int status) {
    return switch (status) {
      case 400 -> new ErrorResponse("VALIDATION_ERROR", "the request is malformed", List.of());
      case 401 -> new ErrorResponse("UNAUTHORIZED", "a valid tenant API key is required", List.of());
      case 403 -> new ErrorResponse("FORBIDDEN", "this credential may not do that", List.of());
      case 404 -> new ErrorResponse("NOT_FOUND", "no such resource", List.of());
      case 405 -> new ErrorResponse("METHOD_NOT_ALLOWED", "this method is not supported here", List.of());
      case 409 -> new ErrorResponse("CONFLICT", "the request conflicts with the current state", List.of());
      case 415 -> new ErrorResponse("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", List.of());
      case 501 ->
          new ErrorResponse(
              "NOT_IMPLEMENTED",
              "the request uses an HTTP method or transfer coding the service does not implement",
              List.of());
      case 503 -> new ErrorResponse("SERVICE_UNAVAILABLE", "the service cannot answer now; retry", List.of());
      case 505 ->
          new ErrorResponse("HTTP_VERSION_NOT_SUPPORTED", "use HTTP/1.1 (or HTTP/1.0)", List.of());
      default ->
          status < 500
              ? new ErrorResponse("VALIDATION_ERROR", "the request was refused (HTTP " + status + ")", List.of())
              : new ErrorResponse("INTERNAL_ERROR", "internal error; see the server log", List.of());
    };
  }
}
