package com.mandateregistry.query.verification.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.Caller;
import com.mandateregistry.api.web.ConsistencyTokens;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.query.verification.InvalidVerificationRequestException;
import com.mandateregistry.query.verification.VerificationRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/verify} (004 "Verification"): may this delegate do this action on this resource? */
@RestController
class VerificationController {

  static final String POM_SD_JWT_VC = "sd-jwt-vc";

  private final VerificationService verification;
  private final ConsistencyTokens tokens;

  VerificationController(VerificationService verification, ConsistencyTokens tokens) {
    this.verification = verification;
    this.tokens = tokens;
  }

  /** The request body; {@code context} is optional. */
  record VerifyBody(
      @JsonProperty("delegate_subject_id") String delegateSubjectId,
      String action,
      String resource,
      Map<String, Object> context) {}

  /**
   * The response body; {@code escalation} only on a DENY with {@code ESCALATION_REQUIRED}, {@code
   * proof_of_mandate} only with {@code ?pom=sd-jwt-vc} on ALLOW.
   */
  @JsonInclude(JsonInclude.Include.NON_ABSENT)
  record VerifyResponse(
      String decision,
      @JsonProperty("mandate_id") @JsonInclude(JsonInclude.Include.ALWAYS) String mandateId,
      @JsonProperty("event_id") String eventId,
      @JsonProperty("reason_codes") List<String> reasonCodes,
      @JsonProperty("constraints_remaining") Map<String, Object> constraintsRemaining,
      VerificationService.Escalation escalation,
      @JsonProperty("proof_of_mandate") ProofBody proofOfMandate) {}

  /** The Proof-of-Mandate as returned. */
  record ProofBody(
      String format,
      String credential,
      String issuer,
      @JsonProperty("key_id") String keyId,
      @JsonProperty("expires_at") Instant expiresAt,
      @JsonProperty("selectively_disclosable") List<String> disclosures) {}

  @PostMapping("/v1/verify")
  VerifyResponse verify(
      Caller caller,
      @RequestParam(value = "pom", required = false) String pom,
      @RequestHeader(value = ConsistencyTokens.HEADER, required = false) String token,
      @RequestBody VerifyBody body) {
    if (pom != null && !POM_SD_JWT_VC.equals(pom)) {
      throw ApiException.badRequest(
          "pom must be \"" + POM_SD_JWT_VC + "\"",
          new ErrorDetail(pom, "must be " + POM_SD_JWT_VC, "pom", "query"));
    }
    VerificationRequest request = request(body.delegateSubjectId(), body.action(), body.resource(),
        body.context());
    verification.awaitAtLeast(
        caller.tenantId(), token == null ? null : tokens.read(caller.tenantId(), token));
    VerificationService.Outcome outcome = verification.verify(caller, request, pom != null);
    return response(outcome);
  }

  static VerificationRequest request(String delegate, String action, String resource, Map<String, Object> context) {
    try {
      return VerificationRequest.of(delegate, action, resource, context);
    } catch (InvalidVerificationRequestException e) {
      throw ApiException.badRequest(
          e.getMessage(), new ErrorDetail(e.value(), e.reason(), e.param(), "body"));
    }
  }

  static VerifyResponse response(VerificationService.Outcome outcome) {
    var d = outcome.decision();
    var p = outcome.proof();
    return new VerifyResponse(
        d.decision().name(),
        d.mandateId(),
        outcome.eventId(),
        d.reasonCodes(),
        d.constraintsRemaining(),
        outcome.escalation(),
        p == null ? null : new ProofBody(p.format(), p.credential(), p.issuer(), p.keyId(), p.expiresAt(), p.disclosures()));
  }
}
