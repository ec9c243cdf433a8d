package com.mandateregistry.infra.security;

import com.mandateregistry.infra.web.DatabaseUnavailable;
import com.mandateregistry.infra.web.OutageLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a tenant API key from {@code Authorization: Bearer <tenantId>:<apiKey>} or {@code
 * X-API-Key: <apiKey>}, exactly one of them (two credentials are a 400, RFC 6750 §2). A presented
 * but invalid key is refused at once with 401; a request with no
 * key goes on and is refused by the entry point if its endpoint needs one. On public endpoints the
 * credential is not read at all. A key that cannot be checked because the database is unavailable
 * gets 503.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

  /** The prefix of a scope's authority, as Spring Security's OAuth2 resource server writes it. */
  static final String SCOPE = "SCOPE_";

  private final ApiKeyCredentials credentials;
  private final ErrorWriter errors;
  private final RequestMatcher publicPaths;

  /** @param publicPaths requests whose credential, if any, is not read (public endpoints) */
  ApiKeyAuthenticationFilter(ApiKeyCredentials credentials, ErrorWriter errors, RequestMatcher publicPaths) {
    this.credentials = credentials;
    this.errors = errors;
    this.publicPaths = publicPaths;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return publicPaths.matches(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String authorization = request.getHeader("Authorization");
    String xApiKey = request.getHeader("X-API-Key");
    if (moreThanOne(request, authorization, xApiKey)) {
      // RFC 6750 §2: one method per request; reading the first would let a wrong second pass
      response.setHeader("WWW-Authenticate", "Bearer realm=\"mandate-registry\", error=\"invalid_request\"");
      errors.write(
          response,
          400,
          "VALIDATION_ERROR",
          "send one credential: an Authorization header or an X-API-Key header, once");
      return;
    }
    boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    if (!bearer && xApiKey == null) {
      chain.doFilter(request, response);
      return;
    }
    Optional<ApiKeyCredentials.Verified> caller;
    try {
      if (bearer) {
        String token = authorization.substring(7).trim();
        int colon = token.indexOf(':');
        caller =
            colon > 0
                ? credentials.authenticate(token.substring(0, colon), token.substring(colon + 1))
                : credentials.authenticate(null, token);
      } else {
        caller = credentials.authenticate(null, xApiKey.trim());
      }
    } catch (RuntimeException e) {
      if (!DatabaseUnavailable.causes(e)) {
        throw e;
      }
      // a key this node has not cached cannot be checked: neither accepted nor called invalid
      OutageLog.shared().refused("an API key to check", e);
      errors.write(response, 503, "SERVICE_UNAVAILABLE", DatabaseUnavailable.MESSAGE);
      return;
    }
    if (caller.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"mandate-registry\", error=\"invalid_token\"");
      errors.write(response, 401, "UNAUTHORIZED", "the API key is invalid, revoked or not this tenant's");
      return;
    }
    List<GrantedAuthority> authorities = new ArrayList<>();
    authorities.add(new SimpleGrantedAuthority("ROLE_TENANT"));
    caller.get().scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority(SCOPE + scope)));
    var auth = new UsernamePasswordAuthenticationToken(caller.get().caller(), null, authorities);
    SecurityContextHolder.getContext().setAuthentication(auth);
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  /** Whether the request carries both credential headers, or either of them twice. */
  private static boolean moreThanOne(HttpServletRequest request, String authorization, String xApiKey) {
    if (authorization != null && xApiKey != null) {
      return true;
    }
    String name = authorization != null ? "Authorization" : xApiKey != null ? "X-API-Key" : null;
    if (name == null) {
      return false;
    }
    Enumeration<String> values = request.getHeaders(name);
    values.nextElement();
    return values.hasMoreElements();
  }
}
