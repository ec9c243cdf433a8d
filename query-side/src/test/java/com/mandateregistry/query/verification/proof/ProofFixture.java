package com.mandateregistry.query.verification.proof;

import com.mandateregistry.query.verification.web.ProofOfMandateIssuer;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** TEST-ONLY HELPER: the claims of one ALLOW and the settings of a test deployment. */
final class ProofFixture {

  static final String DID = "did:web:registry.example";
  static final Instant DECIDED_AT = Instant.parse("2026-03-02T10:15:30.123Z");

  private ProofFixture() {}

  static ProofSettings settings() {
    return new ProofSettings("https://registry.example", "", ProofSettings.DEFAULT_VCT, Duration.ofMinutes(5));
  }

  static ProofOfMandateIssuer.Claims claims() {
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("type", "natural_person");
    principal.put("subject_id", "monco:user:max");
    Map<String, Object> maxAmount = new LinkedHashMap<>();
    maxAmount.put("amount", 1000);
    maxAmount.put("currency", "EUR");
    Map<String, Object> rateLimit = new LinkedHashMap<>();
    rateLimit.put("max_uses", 100);
    rateLimit.put("period", "PT1H");
    Map<String, Object> constraints = new LinkedHashMap<>();
    constraints.put("max_amount", maxAmount);
    constraints.put("rate_limit", rateLimit);
    Map<String, Object> remaining = new LinkedHashMap<>();
    remaining.put("uses_remaining", 99);
    remaining.put("uses_reset_at", "2026-03-02T11:00:00Z");
    remaining.put("budget_remaining", Map.of("amount", new BigDecimal("8750.50"), "currency", "EUR"));
    return new ProofOfMandateIssuer.Claims(
        "tnt_01JNW3R0000000000000000000",
        "mdt_01JNW3R0000000000000000001",
        "evt_01JNW3R0000000000000000002",
        "monco:agent:validate-agent-v2",
        "construction.validation.approve",
        "monco:project:proj_ABC123/zone:EG",
        principal,
        constraints,
        remaining,
        DECIDED_AT);
  }
}
