package com.mandateregistry.api.mandate;

import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A mandate reached its {@code expires_at} while ACTIVE or SUSPENDED. */
@Revision("1")
public record MandateExpiredEvent(String mandateId, String tenantId, Instant expiredAt)
    implements MandateEvent {}
