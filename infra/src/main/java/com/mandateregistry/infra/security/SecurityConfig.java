package com.mandateregistry.infra.security;

import static com.mandateregistry.infra.security.ApiKeyAuthenticationFilter.SCOPE;

import com.mandateregistry.infra.web.NoSuchEndpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Which endpoints need a tenant credential, and which of its scopes. Public: onboarding, public
 * widgets, well-known documents, the ledger's public keys and health. Everything else needs a
 * tenant API key (401 without one); the mandate and audit-trail endpoints also need the scope the
 * README's "Security" section names for them (403 without it).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

  /**
   * Served to anyone, with or without a credential: a key sent to them is not even read, so a stale
   * one does not make an AuthZEN client's discovery or a verifier's key fetch fail.
   */
  static final String[] PUBLIC_PATHS = {
    "/v1/onboarding/**", "/v1/public/**", "/.well-known/**", "/v1/ledger/keys", "/actuator/health", "/error"
  };

  /**
   * The requests whose credential is not read: the public paths, and CORS preflights (a browser
   * sends none with them; Spring MVC refuses them, see {@code CrossOriginRefusal}).
   */
  private static RequestMatcher publicPaths() {
    PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
    List<RequestMatcher> matchers = new ArrayList<>();
    matchers.add(CorsUtils::isPreFlightRequest);
    Arrays.stream(PUBLIC_PATHS).forEach(p -> matchers.add(paths.matcher(p)));
    return new OrRequestMatcher(matchers);
  }

  /** What {@code GET} and {@code HEAD} need {@code mandates:read} for. */
  static final String[] READ_PATHS = {
    "/v1/mandates", "/v1/mandates/**", "/v1/events", "/v1/events/**", "/v1/ledger/head"
  };

  private static final String READ = SCOPE + ApiKeyCredentials.MANDATES_READ;
  private static final String WRITE = SCOPE + ApiKeyCredentials.MANDATES_WRITE;
  private static final String VERIFY = SCOPE + ApiKeyCredentials.MANDATES_VERIFY;

  @Bean
  SecurityFilterChain api(HttpSecurity http, ApiKeyCredentials credentials, ErrorWriter errors)
      throws Exception {
    http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(r -> r.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(
            new ApiKeyAuthenticationFilter(credentials, errors, publicPaths()), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(CorsUtils::isPreFlightRequest)
                    .permitAll()
                    .requestMatchers(PUBLIC_PATHS)
                    .permitAll()
                    .requestMatchers(HttpMethod.POST, "/v1/mandates", "/v1/mandates/*/*")
                    .hasAuthority(WRITE)
                    .requestMatchers(HttpMethod.GET, READ_PATHS)
                    .hasAuthority(READ)
                    // Spring MVC answers HEAD with the GET handler: its status, ETag and
                    // Content-Length tell what the GET would, so it needs the same scope
                    .requestMatchers(HttpMethod.HEAD, READ_PATHS)
                    .hasAuthority(READ)
                    .requestMatchers(
                        HttpMethod.POST, "/v1/verify", "/access/v1/evaluation", "/access/v1/evaluations")
                    .hasAnyAuthority(VERIFY, READ)
                    .anyRequest()
                    .hasRole("TENANT"))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                        (request, response, ex) -> {
                          response.setHeader("WWW-Authenticate", "Bearer realm=\"mandate-registry\"");
                          errors.write(
                                response,
                                401,
                                "UNAUTHORIZED",
                                "a tenant API key is required: Authorization: Bearer <tenantId>:<apiKey> or X-API-Key");
                        })
                    .accessDeniedHandler(
                        (request, response, ex) ->
                            errors.write(
                                response,
                                403,
                                "FORBIDDEN",
                                "this API key lacks the scope this call needs (see the README, \"Security\")")));
    return http.build();
  }

  /**
   * Paths in {@code requestMatchers} are matched as Spring's parsed {@code PathPattern}s, on the
   * path parsed once per request, instead of asking Spring MVC's handler mappings once per pattern
   * per request (the default before Spring Security 7): every request walks these rules.
   */
  @Bean
  PathPatternRequestMatcherBuilderFactoryBean pathPatternRequestMatchers() {
    return new PathPatternRequestMatcherBuilderFactoryBean();
  }

  /**
   * The firewall's refusals (an encoded slash, {@code ;}, {@code ..} or {@code //} in the path, a
   * method other than GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS, a header with control
   * characters) in the error shape. Spring Security's default would throw, and the container
   * would answer with its own body. The firewall's message is not echoed: it can quote a header.
   *
   * <p>A refused method is a 405 with the {@code Allow} header RFC 9110 requires, naming what the
   * path serves ({@link AllowedMethods}); on a path the service does not serve it is the 404 any
   * other method gets there.
   */
  @Bean
  RequestRejectedHandler requestRejectedHandler(
      ErrorWriter errors, ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
    AllowedMethods allowedMethods = new AllowedMethods(mappings);
    return (request, response, rejected) -> {
      boolean method = String.valueOf(rejected.getMessage()).contains("HTTP method");
      if (method) {
        Set<String> allowed = allowedMethods.of(request);
        if (allowed.isEmpty()) {
          errors.write(
              response,
              404,
              "NOT_FOUND",
              NoSuchEndpoint.message(request.getRequestURI()));
          return;
        }
        response.setHeader(HttpHeaders.ALLOW, String.join(",", allowed));
        errors.write(
            response,
            405,
            "METHOD_NOT_ALLOWED",
            "the HTTP method " + safeMethod(request.getMethod()) + " is not supported");
      } else {
        errors.write(
            response,
            400,
            "VALIDATION_ERROR",
            "the request was refused: its path or a header holds characters or sequences that are not allowed");
      }
    };
  }

  /**
   * Tomcat refuses TRACE itself by default, before any filter, with an {@code Allow} header that
   * lists the dispatcher servlet's methods rather than the path's. It is let through to the
   * firewall instead, which refuses it like any other method it does not allow (above). TRACE
   * never reaches a servlet, so nothing is echoed: the firewall runs on every request.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> traceToTheFirewall() {
    return factory -> factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
  }

  private static String safeMethod(String method) {
    return method != null && method.matches("[A-Z]{1,16}") ? method : "used";
  }
}
