package com.mandateregistry.api.web;

/**
 * What the API answers for a failure that is not an {@link ApiException}: 503 {@code
 * SERVICE_UNAVAILABLE} when the database cannot be reached, 500 {@code INTERNAL_ERROR} otherwise
 * (the application's error handling, which also logs it). For an endpoint that must answer such a
 * failure inside its response rather than as the whole response: an AuthZEN batch item.
 */
@FunctionalInterface
public interface UnexpectedFailures {

  /** The answer to {@code failure}, as the error handling would give it for a whole request. */
  ApiException answer(Throwable failure);
}
