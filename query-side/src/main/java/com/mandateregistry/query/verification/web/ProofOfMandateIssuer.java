package com.mandateregistry.query.verification.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Issues the Proof-of-Mandate credential of an ALLOW decision (docs/proof-of-mandate.md).
 */
public interface ProofOfMandateIssuer {

  /**
   * What the credential states.
   *
   * @param eventId the VERIFICATION_ALLOWED event that recorded the decision
   * @param principal {@code {"type", "subject_id"}} of the mandate's principal
   * @param constraints the mandate's constraints as granted
   * @param constraintsRemaining what remains after this use
   */
  record Claims(
      String tenantId,
      String mandateId,
      String eventId,
      String delegateSubjectId,
      String action,
      String resource,
      Map<String, Object> principal,
      Map<String, Object> constraints,
      Map<String, Object> constraintsRemaining,
      Instant issuedAt) {}

  /**
   * The issued credential.
   *
   * @param format {@code dc+sd-jwt}
   * @param credential the SD-JWT: issuer-signed JWT, then every disclosure, each followed by "~"
   * @param issuer the issuer's DID
   * @param keyId the {@code kid} of the JWT header
   * @param disclosures the names of the selectively disclosable claims
   */
  record Proof(
      String format, String credential, String issuer, String keyId, Instant expiresAt,
      List<String> disclosures) {}

  /**
   * @throws ProofUnavailableException if it cannot be signed now
   */
  Proof issue(Claims claims);

  /** The credential could not be issued (the signer is unavailable). */
  class ProofUnavailableException extends RuntimeException {
    public ProofUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
