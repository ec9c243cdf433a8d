package com.mandateregistry.api.mandate;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A SUSPENDED mandate became ACTIVE again. */
@Revision("1")
public record MandateReactivatedEvent(String mandateId, String tenantId, Instant reactivatedAt)
    implements MandateEvent {}
