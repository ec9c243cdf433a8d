package com.mandateregistry.api.web;

import java.util.List;

/** The body of every 4xx and 5xx response: {@code {code, message, details[]}}. */
public record ErrorResponse(String code, String message, List<ErrorDetail> details) {

  /**
   * The message is kept well-formed (it may quote input): an unpaired surrogate becomes U+FFFD, so
   * that no error carries what the API refuses to read.
   */
  public ErrorResponse {
    message = WellFormed.text(message);
  }
}
