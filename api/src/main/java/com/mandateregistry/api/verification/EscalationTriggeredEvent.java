package com.mandateregistry.api.verification;

import com.mandateregistry.api.mandate.MandateEvent;
import java.math.BigDecimal;
import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * A verification asked for an amount above the mandate's escalation threshold: it was denied with
 * ESCALATION_REQUIRED, and a human must decide.
 *
 * @param verificationEventId the {@code event_id} of the VERIFICATION_DENIED event of that request
 */
@Revision("1")
public record EscalationTriggeredEvent(
    String tenantId,
    String mandateId,
    String delegateSubjectId,
    String action,
    String resource,
    BigDecimal amount,
    String currency,
    BigDecimal threshold,
    String verificationEventId,
    Instant decidedAt)
    implements MandateEvent {}
