package com.mandateregistry.api.mandate;

import java.time.Instant;
import java.util.Map;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Grant a new mandate. The caller chooses the id, so a retried request is detected.
 *
 * @param createdAt when the request was accepted; {@code expiresAt} must be later
 */
public record CreateMandateCommand(
    @TargetAggregateIdentifier String mandateId,
    String tenantId,
    Subject principal,
    Subject delegate,
    Scope scope,
    Map<String, Object> constraints,
    Map<String, Object> metadata,
    Instant expiresAt,
    Instant createdAt) {}
