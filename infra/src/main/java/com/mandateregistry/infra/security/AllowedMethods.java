package com.mandateregistry.infra.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpMethod;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The methods a path serves, for the {@code Allow} header of a 405 that Spring MVC never sees: the
 * firewall refuses TRACE, and any method outside GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS,
 * before a handler is looked up. Each request-mapping handler mapping (the API's and the
 * actuator's) is asked for a handler of the refused method; for a path it serves by other methods
 * it answers as it would for PUT on {@code /v1/mandates}, with {@link
 * HttpRequestMethodNotSupportedException} and the methods it does serve. No handler is run.
 */
final class AllowedMethods {

  private final ObjectProvider<RequestMappingInfoHandlerMapping> mappings;

  AllowedMethods(ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
    this.mappings = mappings;
  }

  /** The methods {@code request}'s path serves, by name; empty when no mapping serves it. */
  Set<String> of(HttpServletRequest request) {
    Set<String> allowed = new TreeSet<>();
    try {
      if (!ServletRequestPathUtils.hasParsedRequestPath(request)) {
        ServletRequestPathUtils.parseAndCache(request);
      }
    } catch (RuntimeException unparseable) {
      return allowed;
    }
    mappings.orderedStream()
        .forEach(
            mapping -> {
              try {
                mapping.getHandler(request);
              } catch (HttpRequestMethodNotSupportedException e) {
                if (e.getSupportedHttpMethods() != null) {
                  e.getSupportedHttpMethods().stream().map(HttpMethod::name).forEach(allowed::add);
                }
              } catch (Exception otherMismatch) {
                // a path it does not serve, or a mismatch of another kind: nothing about methods
              }
            });
    return allowed;
  }
}
