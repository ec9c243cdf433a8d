package com.mandateregistry.api.mandate;

import java.time.Instant;
import java.util.Map;
import org.axonframework.serialization.Revision;

/** A mandate was granted. It is ACTIVE from {@code createdAt} until revoked or expired. */
@Revision("1")
public record MandateCreatedEvent(
    String mandateId,
    String tenantId,
    Subject principal,
    Subject delegate,
    Scope scope,
    Map<String, Object> constraints,
    Map<String, Object> metadata,
    Instant expiresAt,
    Instant createdAt)
    implements MandateEvent {}
