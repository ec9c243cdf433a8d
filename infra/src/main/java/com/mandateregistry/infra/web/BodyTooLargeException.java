package com.mandateregistry.infra.web;

import java.io.IOException;

/** A request body went past the configured cap. */
class BodyTooLargeException extends IOException {

  private final long limit;

  BodyTooLargeException(long limit) {
    super("request body exceeds " + limit + " bytes");
    this.limit = limit;
  }

  long limit() {
    return limit;
  }
}
