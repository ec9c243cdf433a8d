package com.mandateregistry.infra.web;

import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.ErrorDetail;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * 400 for a query parameter that the endpoint does not take, before its handler runs.
 *
 * <p>Ignoring it would hide a client's mistake: {@code GET /v1/mandates?stauts=ACTIVE} would list
 * every status, {@code ?eventType=} (for {@code event_type}) every event, and {@code
 * /v1/verify?pom=sd-jwt-vc} misspelt would answer without the proof the caller then finds missing.
 * What an endpoint takes is what its handler declares with {@link RequestParam}, so the check
 * cannot drift from the endpoints. A handler that takes a {@code Map} of parameters takes any; a
 * handler outside this service's packages (the actuator's) is not checked, nor is the error page
 * ({@code /error}, called directly an unknown route, and on an error dispatch reporting the failed
 * request's own error, whatever its query). Names are compared
 * after percent-decoding, exactly (the endpoints' names are lower case).
 *
 * <p>Runs after authentication, so a request without a valid credential is still a 401, and
 * after {@link RequestFilters}, which has refused names that are not valid percent-encoded UTF-8
 * or are given twice.
 */
final class UnknownQueryParameters implements HandlerInterceptor {

  private static final String OUR_PACKAGES = "com.mandateregistry.";

  private final ParameterNameDiscoverer names = new DefaultParameterNameDiscoverer();
  private final Map<Method, Accepted> taken = new ConcurrentHashMap<>();

  /** What a handler takes: any name (it takes a map of parameters), or exactly {@code names}. */
  private record Accepted(boolean any, Set<String> names) {}

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
    String query = request.getQueryString();
    if (query == null || query.isEmpty() || !(handler instanceof HandlerMethod method)) {
      return true;
    }
    if (!method.getBeanType().getName().startsWith(OUR_PACKAGES)
        || ErrorController.class.isAssignableFrom(method.getBeanType())
        || request.getDispatcherType() != DispatcherType.REQUEST) {
      return true; // not ours; or the error page, which reports the request's own failure
    }
    Accepted accepted = taken.computeIfAbsent(method.getMethod(), m -> accepted(method));
    if (accepted.any()) {
      return true;
    }
    firstUnknown(query, accepted.names())
        .ifPresent(
            name -> {
              throw ApiException.badRequest(
                  "unknown query parameter "
                      + ErrorDetail.excerpt(name)
                      + "; this endpoint takes "
                      + (accepted.names().isEmpty() ? "none" : String.join(", ", accepted.names())),
                  new ErrorDetail(name, "not a parameter of this endpoint", name, "query"));
            });
    return true;
  }

  /** The first name in {@code query} that is not in {@code accepted}. */
  static Optional<String> firstUnknown(String query, Set<String> accepted) {
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue; // "?&limit=5": nothing is named
      }
      String decoded = RequestFilters.decodedName(pair);
      int eq = pair.indexOf('=');
      // an undecodable name as sent (RequestFilters refuses it first)
      String name = decoded != null ? decoded : eq < 0 ? pair : pair.substring(0, eq);
      if (!accepted.contains(name)) {
        return Optional.of(name);
      }
    }
    return Optional.empty();
  }

  /** The names the handler's {@link RequestParam}s take (sorted), or any for a map of them. */
  private Accepted accepted(HandlerMethod method) {
    Set<String> accepted = new TreeSet<>();
    for (MethodParameter parameter : method.getMethodParameters()) {
      RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
      if (param == null) {
        continue;
      }
      String name = !param.name().isEmpty() ? param.name() : param.value(); // aliases
      if (name.isEmpty() && Map.class.isAssignableFrom(parameter.getParameterType())) {
        return new Accepted(true, Set.of());
      }
      if (name.isEmpty()) {
        parameter.initParameterNameDiscovery(names);
        name = parameter.getParameterName();
      }
      accepted.add(name);
    }
    return new Accepted(false, Collections.unmodifiableSet(accepted));
  }
}
