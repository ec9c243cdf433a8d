package com.mandateregistry.api.verification;

import com.mandateregistry.api.mandate.MandateEvent;
import java.time.Instant;
import java.util.Map;
import org.axonframework.serialization.Revision;

/**
 * A verification was answered ALLOW on the strength of {@code mandateId}. Recorded (durably) before
 * the answer is sent.
 *
 * @param context the request context the decision used (amount, currency, MFA method); never a
 *     credential or an MFA proof
 * @param constraintsRemaining what the mandate still allows after this use
 * @param proofIssued whether a Proof-of-Mandate credential was issued with the answer
 */
@Revision("1")
public record VerificationAllowedEvent(
    String tenantId,
    String mandateId,
    String delegateSubjectId,
    String action,
    String resource,
    Map<String, Object> context,
    Map<String, Object> constraintsRemaining,
    boolean proofIssued,
    Instant decidedAt)
    implements MandateEvent {}
