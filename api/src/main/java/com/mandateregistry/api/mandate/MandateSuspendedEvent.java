package com.mandateregistry.api.mandate;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** An ACTIVE mandate was suspended; it grants nothing until reactivated. */
@Revision("1")
public record MandateSuspendedEvent(String mandateId, String tenantId, String reason, Instant suspendedAt)
    implements MandateEvent {}
