package com.mandateregistry.api.verification;

import com.mandateregistry.api.mandate.MandateEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.axonframework.serialization.Revision;

/**
 * A verification was answered DENY.
 *
 * @param mandateId the mandate whose rules denied it, or null when no mandate matched
 * @param reasonCodes why, for example {@code [MANDATE_SUSPENDED]}
 * @param context the request context the decision used (amount, currency, MFA method); never a
 *     credential or an MFA proof
 */
@Revision("1")
public record VerificationDeniedEvent(
    String tenantId,
    String mandateId,
    String delegateSubjectId,
    String action,
    String resource,
    List<String> reasonCodes,
    Map<String, Object> context,
    Instant decidedAt)
    implements MandateEvent {}
