package com.mandateregistry.query.verification;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * TEST-ONLY. Builds mandate snapshots and verification requests for the decision tests. By
 * default a mandate is ACTIVE, ALLOW, of {@link #DELEGATE}, covering {@code
 * construction.validation.*} on {@code monco:project:proj_ABC123/**}, created at {@link
 * #CREATED}, with no expiry and no constraints. Constraints and contexts are written as JSON and
 * read by Jackson, so that they hold the types a real request body gives.
 */
final class MandateFixture {

  static final String TENANT = "tnt_01JN8GN2HRWRK6EFBRPTHFVRGV";
  static final String DELEGATE = "monco:agent:validate-agent-v2";
  static final String ACTION = "construction.validation.approve";
  static final String RESOURCE = "monco:project:proj_ABC123/zone:EG/installation:stk_42";
  static final Instant CREATED = Instant.parse("2025-03-01T00:00:00Z");

  private static final ObjectMapper JSON = new ObjectMapper();

  private MandateFixture() {}

  /** A mandate id that sorts by {@code n}: {@code id(1) < id(2)}. */
  static String id(int n) {
    return String.format("mdt_01JN8GN2HRWRK6EFBRPT%04d", n);
  }

  /** An ACTIVE ALLOW mandate with id(1) and no constraints. */
  static Builder activeMandate() {
    return new Builder();
  }

  /** An ACTIVE DENY mandate with id(1), covering the same scope as {@link #activeMandate()}. */
  static Builder denyMandate() {
    return new Builder().effect(Effect.DENY);
  }

  /** The default request: {@link #DELEGATE} wants {@link #ACTION} on {@link #RESOURCE}. */
  static VerificationRequest request() {
    return VerificationRequest.of(DELEGATE, ACTION, RESOURCE, Map.of());
  }

  /** The default request with a context written as JSON. */
  static VerificationRequest request(String contextJson) {
    return VerificationRequest.of(DELEGATE, ACTION, RESOURCE, json(contextJson));
  }

  static Map<String, Object> json(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (Exception e) {
      throw new IllegalArgumentException("bad JSON in a test: " + json, e);
    }
  }

  static final class Builder {
    private String mandateId = MandateFixture.id(1);
    private long version = 0;
    private MandateStatus status = MandateStatus.ACTIVE;
    private String delegate = DELEGATE;
    private Effect effect = Effect.ALLOW;
    private List<String> actions = List.of("construction.validation.*");
    private List<String> resources = List.of("monco:project:proj_ABC123/**");
    private Map<String, Object> constraints = Map.of();
    private Instant createdAt = CREATED;
    private Instant expiresAt;

    Builder id(String mandateId) {
      this.mandateId = mandateId;
      return this;
    }

    Builder version(long version) {
      this.version = version;
      return this;
    }

    Builder status(MandateStatus status) {
      this.status = status;
      return this;
    }

    Builder delegate(String delegate) {
      this.delegate = delegate;
      return this;
    }

    Builder effect(Effect effect) {
      this.effect = effect;
      return this;
    }

    Builder actions(String... actions) {
      this.actions = List.of(actions);
      return this;
    }

    Builder resources(String... resources) {
      this.resources = List.of(resources);
      return this;
    }

    Builder constraints(String json) {
      this.constraints = json(json);
      return this;
    }

    Builder createdAt(Instant createdAt) {
      this.createdAt = createdAt;
      return this;
    }

    Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    MandateSnapshot build() {
      return MandateSnapshot.of(
          mandateId,
          TENANT,
          version,
          status,
          delegate,
          effect,
          actions,
          resources,
          constraints,
          createdAt,
          expiresAt);
    }
  }
}
