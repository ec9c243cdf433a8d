package com.mandateregistry.infra.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.api.web.ErrorResponse;
import com.mandateregistry.api.web.Timestamps;
import com.mandateregistry.api.web.UnexpectedFailures;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.catalina.connector.ClientAbortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Turns every refusal into {@code {code, message, details[{value,msg,param,location}]}}. */
@RestControllerAdvice
class ErrorHandling implements UnexpectedFailures {

  private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

  private static final String RFC_3339 = Timestamps.NOT_RFC_3339;

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorResponse> api(ApiException e) {
    return ResponseEntity.status(e.status())
        .body(new ErrorResponse(e.code(), e.getMessage(), e.details()));
  }

  @ExceptionHandler(MethodArgumentNotValidException.class)
  ResponseEntity<ErrorResponse> invalid(MethodArgumentNotValidException e) {
    List<ErrorDetail> details =
        e.getBindingResult().getFieldErrors().stream()
            .map(ErrorHandling::detail)
            .sorted((a, b) -> a.param().compareTo(b.param()))
            .toList();
    return badRequest(
        details.isEmpty()
            ? "request body is invalid"
            : "request body is invalid: " + details.get(0).param() + " " + details.get(0).msg(),
        details);
  }

  @ExceptionHandler(HandlerMethodValidationException.class)
  ResponseEntity<ErrorResponse> invalidParameters(HandlerMethodValidationException e) {
    List<ErrorDetail> details =
        e.getParameterValidationResults().stream()
            .flatMap(
                r ->
                    r.getResolvableErrors().stream()
                        .map(
                            err ->
                                new ErrorDetail(
                                    r.getArgument(),
                                    err.getDefaultMessage(),
                                    r.getMethodParameter().getParameterName(),
                                    "body")))
            .toList();
    return badRequest("request is invalid", details);
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException e) {
    Throwable cause = e.getCause();
    if (cause instanceof BodyTooLargeException tooLarge) {
      return tooLarge(tooLarge);
    }
    StreamConstraintsException limit = findCause(cause, StreamConstraintsException.class);
    if (limit != null) {
      // Jackson's own limits: nesting depth 1,000, a number of 1,000 characters, and so on
      String what = String.valueOf(limit.getOriginalMessage());
      int cut = what.indexOf(", from `"); // "... (1000, from `StreamReadConstraints...`)"
      what = cut > 0 ? what.substring(0, cut) + ")" : what;
      return badRequest(
          "request body exceeds a JSON limit: " + what,
          List.of(new ErrorDetail(null, what, "body", "body")));
    }
    JsonParseException syntax = findCause(cause, JsonParseException.class);
    if (syntax != null) {
      String where =
          syntax.getLocation() == null
              ? ""
              : " at line " + syntax.getLocation().getLineNr() + ", column " + syntax.getLocation().getColumnNr();
      String original = String.valueOf(syntax.getOriginalMessage());
      String what = original.startsWith("Duplicate field ") ? "a key given twice" : "malformed JSON";
      return badRequest(
          "request body is not valid JSON" + (what.equals("malformed JSON") ? "" : ": " + what) + where,
          List.of(new ErrorDetail(null, what + where, "body", "body")));
    }
    if (cause instanceof MismatchedInputException trailing
        && trailing.getPath().isEmpty()
        && String.valueOf(trailing.getOriginalMessage()).startsWith("Trailing token")) {
      return badRequest(
          "request body is not valid JSON: content after the JSON value",
          List.of(new ErrorDetail(null, "must be exactly one JSON value", "body", "body")));
    }
    if (cause instanceof InvalidFormatException format && format.getTargetType() != null) {
      String param = path(format);
      Class<?> target = format.getTargetType();
      String expected =
          target.isEnum()
              ? "must be one of "
                  + Arrays.stream(target.getEnumConstants())
                      .map(Object::toString)
                      .collect(Collectors.joining(", "))
              : target == String.class
                  ? "must be a string"
                  : target == Instant.class
                      ? RFC_3339
                      : "must be a valid " + target.getSimpleName();
      return badRequest(
          "invalid value for " + param, List.of(new ErrorDetail(format.getValue(), expected, param, "body")));
    }
    if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      String param = path(mapping);
      String expected =
          mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() == Instant.class
              ? RFC_3339
              : "has the wrong type or shape";
      return badRequest(
          "invalid value for " + param, List.of(new ErrorDetail(null, expected, param, "body")));
    }
    if (cause instanceof MismatchedInputException) {
      // a JSON value of the wrong kind at the top: an array or a string where an object is due
      return badRequest(
          "request body must be a JSON object",
          List.of(new ErrorDetail(null, "must be a JSON object", "body", "body")));
    }
    return badRequest(
        "request body is missing or unreadable",
        List.of(new ErrorDetail(null, "a JSON body is required", "body", "body")));
  }

  @ExceptionHandler(BodyTooLargeException.class)
  ResponseEntity<ErrorResponse> tooLarge(BodyTooLargeException e) {
    return badRequest(
        "request body exceeds " + e.limit() + " bytes",
        List.of(new ErrorDetail(null, "at most " + e.limit() + " bytes", "body", "body")));
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ErrorResponse> typeMismatch(MethodArgumentTypeMismatchException e) {
    Class<?> type = e.getRequiredType();
    String expected =
        type != null && type.isEnum()
            ? "must be one of "
                + Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "))
            : "must be a valid " + (type == null ? "value" : type.getSimpleName().toLowerCase());
    return badRequest(
        "invalid value for " + e.getName(),
        List.of(new ErrorDetail(e.getValue(), expected, e.getName(), "query")));
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<ErrorResponse> missingParameter(MissingServletRequestParameterException e) {
    return badRequest(
        "missing parameter " + e.getParameterName(),
        List.of(new ErrorDetail(null, "is required", e.getParameterName(), "query")));
  }

  @ExceptionHandler(MissingRequestHeaderException.class)
  ResponseEntity<ErrorResponse> missingHeader(MissingRequestHeaderException e) {
    return badRequest(
        "missing header " + e.getHeaderName(),
        List.of(new ErrorDetail(null, "is required", e.getHeaderName(), "header")));
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorResponse> mediaType(HttpMediaTypeNotSupportedException e, WebRequest request) {
    // the header as sent, or null for none (e.getContentType() is Spring's reading of it)
    String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
    return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
        .body(
            new ErrorResponse(
                "UNSUPPORTED_MEDIA_TYPE",
                "Content-Type must be application/json",
                List.of(
                    new ErrorDetail(
                        sent == null ? null : ErrorDetail.excerpt(sent),
                        "must be application/json",
                        "Content-Type",
                        "header"))));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorResponse> method(HttpRequestMethodNotSupportedException e) {
    ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED);
    if (e.getSupportedHttpMethods() != null) {
      answer.allow(e.getSupportedHttpMethods().toArray(HttpMethod[]::new)); // RFC 9110: MUST
    }
    return answer.body(new ErrorResponse("METHOD_NOT_ALLOWED", e.getMessage(), List.of()));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ErrorResponse> noRoute(NoResourceFoundException e, WebRequest request) {
    // the path as requested: the exception's resource path loses a trailing slash, so
    // "/v1/mandates/" was reported as "/v1/mandates", an endpoint that exists
    String path =
        request instanceof ServletWebRequest servlet
            ? servlet.getRequest().getRequestURI()
            : "/" + e.getResourcePath();
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(new ErrorResponse("NOT_FOUND", NoSuchEndpoint.message(path), List.of()));
  }

  /** The firewall refusing a header the handler read (it checks header values lazily). */
  @ExceptionHandler(RequestRejectedException.class)
  ResponseEntity<ErrorResponse> rejected(RequestRejectedException e) {
    return badRequest(
        "the request was refused: a header holds characters that are not allowed", List.of());
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorResponse> unexpected(Exception e) {
    if (clientWentAway(e)) {
      // the client hung up while its answer was written: nothing went wrong here, and there is
      // no one left to answer (an ERROR with a stack trace per hang-up would let any client
      // flood the log)
      log.debug("the client went away before its answer was written: {}", e.toString());
      return null;
    }
    ApiException answer = answer(e);
    return ResponseEntity.status(answer.status())
        .body(new ErrorResponse(answer.code(), answer.getMessage(), List.of()));
  }

  /**
   * Whether writing the answer failed because the client's connection is gone: the servlet
   * container's own exceptions for it, and never a failure of the database. (Spring's
   * DisconnectedClientHelper also takes any EOFException or "broken pipe" in the causes for a
   * client hang-up, which is also how the PostgreSQL driver reports a lost server connection: that
   * one must stay a 503, not become an empty 200.)
   */
  static boolean clientWentAway(Throwable failure) {
    if (DatabaseUnavailable.causes(failure)) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AsyncRequestNotUsableException || t instanceof ClientAbortException) {
        return true;
      }
    }
    return false;
  }

  /** 503 when PostgreSQL cannot be reached, else 500; either logged. */
  @Override
  public ApiException answer(Throwable failure) {
    if (DatabaseUnavailable.causes(failure)) {
      OutageLog.shared().refused("a request", failure); // not a stack trace per request while it lasts
      return new ApiException(503, "SERVICE_UNAVAILABLE", DatabaseUnavailable.MESSAGE, List.of());
    }
    log.error("unexpected error", failure);
    return new ApiException(500, "INTERNAL_ERROR", "internal error; see the server log", List.of());
  }

  private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static ErrorDetail detail(FieldError error) {
    return new ErrorDetail(
        error.getRejectedValue() instanceof String text ? ErrorDetail.excerpt(text) : error.getRejectedValue(),
        error.getDefaultMessage(),
        snake(error.getField()),
        "body");
  }

  /** {@code scope.actions[0]} style path of a Jackson error, in the JSON field names. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** Bean-validation paths use Java names; the API uses snake_case. */
  static String snake(String field) {
    return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
  }

  private static ResponseEntity<ErrorResponse> badRequest(String message, List<ErrorDetail> details) {
    return ResponseEntity.badRequest().body(new ErrorResponse("VALIDATION_ERROR", message, details));
  }
}
