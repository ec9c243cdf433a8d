package com.mandateregistry.api.web;

import java.util.List;

/**
 * A refusal that the REST layer turns into {@code {code, message, details[]}} with the given HTTP
 * status. Controllers throw the subclasses; nothing else needs to know HTTP.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final transient List<ErrorDetail> details;

  public ApiException(int status, String code, String message, List<ErrorDetail> details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = List.copyOf(details);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public List<ErrorDetail> details() {
    return details;
  }

  /** 400: the request is malformed or a value is out of range. */
  public static ApiException badRequest(String message, ErrorDetail... details) {
    return new ApiException(400, "VALIDATION_ERROR", message, List.of(details));
  }

  /** 404: nothing with this id exists for the caller's tenant. */
  public static ApiException notFound(String what, String id) {
    return new ApiException(
        404, "NOT_FOUND", what + " not found", List.of(new ErrorDetail(id, "not found", "id", "path")));
  }

  /** 409: the resource is not in a state that allows this. */
  public static ApiException conflict(String message) {
    return new ApiException(409, "CONFLICT", message, List.of());
  }
}
