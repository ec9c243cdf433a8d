package com.mandateregistry.infra.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Which endpoints need a tenant credential. Public: onboarding, public widgets, well-known
 * documents and health. Everything else needs a tenant API key.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

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
            new ApiKeyAuthenticationFilter(credentials, errors), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.requestMatchers(
                        "/v1/onboarding/**",
                        "/v1/public/**",
                        "/.well-known/**",
                        "/v1/ledger/keys",
                        "/actuator/health",
                        "/error")
                    .permitAll()
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
                            errors.write(response, 403, "FORBIDDEN", "this credential may not do that")));
    return http.build();
  }
}
