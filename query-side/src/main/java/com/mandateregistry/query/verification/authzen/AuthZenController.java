package com.mandateregistry.query.verification.authzen;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.mandateregistry.api.web.Caller;
import com.mandateregistry.api.web.ConsistencyTokens;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.api.web.ErrorResponse;
import com.mandateregistry.api.web.UnexpectedFailures;
import com.mandateregistry.query.verification.web.VerificationService;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * The OpenID AuthZEN Authorization API 1.0 Policy Decision Point interface: {@code POST
 * /access/v1/evaluation}, {@code POST /access/v1/evaluations} (tenant credential) and the public
 * metadata {@code GET /.well-known/authzen-configuration}. Each evaluation is a verification of
 * {@code POST /v1/verify}, recorded in the audit trail; see {@link AuthZenEvaluator} for the
 * mapping.
 */
@RestController
class AuthZenController {

  static final String EVALUATION_PATH = "/access/v1/evaluation";
  static final String EVALUATIONS_PATH = "/access/v1/evaluations";
  static final String METADATA_PATH = "/.well-known/authzen-configuration";

  private final AuthZenEvaluator evaluator;
  private final Metadata metadata;
  private final VerificationService verification;
  private final ConsistencyTokens tokens;
  private final UnexpectedFailures failures;

  AuthZenController(
      VerificationService verification,
      ConsistencyTokens tokens,
      UnexpectedFailures failures,
      @Value("${mandate-registry.public-base-url:http://localhost:8080}") String publicBaseUrl) {
    this.verification = verification;
    this.tokens = tokens;
    this.failures = failures;
    this.evaluator =
        new AuthZenEvaluator((caller, request) -> verification.verify(caller, request, false), failures);
    this.metadata = Metadata.of(publicBaseUrl);
  }

  /**
   * The PDP metadata document (AuthZEN 1.0 "Policy Decision Point Metadata").
   *
   * @param policyDecisionPoint the PDP identifier: {@code mandate-registry.public-base-url}
   */
  record Metadata(
      @JsonProperty("policy_decision_point") String policyDecisionPoint,
      @JsonProperty("access_evaluation_endpoint") String accessEvaluationEndpoint,
      @JsonProperty("access_evaluations_endpoint") String accessEvaluationsEndpoint) {

    /**
     * @throws IllegalArgumentException unless {@code baseUrl} is an absolute http(s) URL without
     *     query or fragment (so the service does not start with a metadata document no PEP can use)
     */
    static Metadata of(String baseUrl) {
      String base = baseUrl == null ? "" : baseUrl.strip();
      while (base.endsWith("/")) {
        base = base.substring(0, base.length() - 1);
      }
      URI uri;
      try {
        uri = URI.create(base);
      } catch (IllegalArgumentException e) {
        throw invalidBaseUrl(baseUrl);
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http"))
          || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw invalidBaseUrl(baseUrl);
      }
      return new Metadata(base, base + EVALUATION_PATH, base + EVALUATIONS_PATH);
    }

    private static IllegalArgumentException invalidBaseUrl(String baseUrl) {
      return new IllegalArgumentException(
          "mandate-registry.public-base-url must be an absolute http(s) URL without query or"
              + " fragment, for example https://registry.example.com; got \"" + baseUrl + "\"");
    }
  }

  @PostMapping(EVALUATION_PATH)
  AuthZenEvaluator.DecisionBody evaluation(
      Caller caller,
      @RequestHeader(value = ConsistencyTokens.HEADER, required = false) String token,
      @RequestBody JsonNode body) {
    return evaluator(caller, token).evaluation(caller, body);
  }

  /**
   * An {@code {"evaluations": [...]}} body, or a single decision without evaluations; a
   * consistency token applies to every evaluation of the request.
   */
  @PostMapping(EVALUATIONS_PATH)
  Object evaluations(
      Caller caller,
      @RequestHeader(value = ConsistencyTokens.HEADER, required = false) String token,
      @RequestBody JsonNode body) {
    return evaluator(caller, token).evaluations(caller, body);
  }

  /**
   * As for {@code /v1/verify}: decided on state at least as fresh as the token's write. The token
   * is read at once (400), but waited for only before the first verification, once the body has
   * been checked: a bad body is a 400 at once, not after the wait.
   */
  private AuthZenEvaluator evaluator(Caller caller, String token) {
    if (token == null) {
      return evaluator;
    }
    ConsistencyTokens.Token read = tokens.read(caller.tenantId(), token);
    boolean[] awaited = {false};
    return new AuthZenEvaluator(
        (c, request) -> {
          if (!awaited[0]) {
            verification.awaitAtLeast(c.tenantId(), read);
            awaited[0] = true;
          }
          return verification.verify(c, request, false);
        },
        failures);
  }

  @GetMapping(METADATA_PATH)
  ResponseEntity<Metadata> metadata() {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
        .body(metadata);
  }

  /**
   * AuthZEN's errors are 400, 401, 403 and 500; a body that is not {@code application/json} is a
   * Bad Request here (the rest of the API answers 415).
   */
  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorResponse> notJson(HttpMediaTypeNotSupportedException e, WebRequest request) {
    // the header as sent (Spring's e.getContentType() adds a charset, or says octet-stream for none)
    String sent = request.getHeader("Content-Type");
    return ResponseEntity.badRequest()
        .body(new ErrorResponse(
            "VALIDATION_ERROR",
            "Content-Type must be application/json",
            List.of(new ErrorDetail(
                sent == null ? null : ErrorDetail.excerpt(sent),
                "must be application/json", "Content-Type", "header"))));
  }
}
