package com.mandateregistry.infra.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Test-only helper: a small HTTP client for the service's JSON API. */
final class Api {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final String base;

  Api(String base) {
    this.base = base;
  }

  /** One response: status, headers and the body parsed as JSON (or null). */
  record Response(int status, HttpResponse<String> raw, JsonNode body) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  /** Asserts an error of {@code status} and {@code code} in the API's error shape; its body. */
  static JsonNode assertError(Response r, int status, String code) {
    assertThat(r.status()).as(r.raw().body()).isEqualTo(status);
    assertThat(r.body().get("code").asText()).as(r.raw().body()).isEqualTo(code);
    assertThat(r.body().get("message").asText()).isNotBlank();
    assertThat(r.body().get("details").isArray()).isTrue();
    return r.body();
  }

  Response get(TestApp.Tenant tenant, String path) {
    return send(tenant, "GET", path, null, Map.of());
  }

  Response post(TestApp.Tenant tenant, String path, String body) {
    return send(tenant, "POST", path, body, Map.of());
  }

  Response send(TestApp.Tenant tenant, String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (tenant != null) {
      b.header("Authorization", tenant.bearer());
    }
    headers.forEach(b::header);
    if (body != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return exchange(b.build());
  }

  Response exchange(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode node = null;
      if (!r.body().isEmpty()
          && Optional.ofNullable(r.headers().firstValue("Content-Type").orElse(null))
              .map(t -> t.contains("json"))
              .orElse(false)) {
        node = JSON.readTree(r.body());
      }
      return new Response(r.statusCode(), r, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A verification that a mandate of {@link #mandateBody} for {@code monco:agent:a1} allows. */
  static final String ALLOWED_VERIFY = """
      {"delegate_subject_id": "monco:agent:a1", "action": "construction.validation.run",
       "resource": "monco:project:p1/doc", "context": {"amount": 10, "currency": "EUR"}}""";

  /** A valid create-mandate body for the given delegate. */
  static String mandateBody(String delegate, String expiresAt) {
    return """
        {"principal": {"type": "natural_person", "subject_id": "monco:user:max"},
         "delegate": {"type": "ai_agent", "subject_id": "%s"},
         "scope": {"actions": ["construction.validation.*"],
                   "resources": ["monco:project:p1/**"], "effect": "ALLOW"},
         "constraints": {"max_amount": {"amount": 1000, "currency": "EUR"}},
         "metadata": {"ticket": "T-1"}%s}
        """
        .formatted(delegate, expiresAt == null ? "" : ", \"expires_at\": \"" + expiresAt + "\"");
  }
}
