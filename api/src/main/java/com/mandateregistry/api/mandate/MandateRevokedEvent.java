package com.mandateregistry.api.mandate;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A mandate was revoked for good. */
@Revision("1")
public record MandateRevokedEvent(String mandateId, String tenantId, String reason, Instant revokedAt)
    implements MandateEvent {}
