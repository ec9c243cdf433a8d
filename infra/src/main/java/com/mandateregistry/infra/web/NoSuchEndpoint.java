package com.mandateregistry.infra.web;

import com.mandateregistry.api.web.ErrorDetail;

/**
 * The message of the 404 for a path that no endpoint serves, whether Spring MVC finds no handler
 * ({@link ErrorHandling}) or the firewall refuses a method on such a path ({@code SecurityConfig}).
 */
public final class NoSuchEndpoint {

  private NoSuchEndpoint() {}

  /** "no such endpoint: " and the path as requested, shortened if long. */
  public static String message(String path) {
    return "no such endpoint: " + ErrorDetail.excerpt(path);
  }
}
