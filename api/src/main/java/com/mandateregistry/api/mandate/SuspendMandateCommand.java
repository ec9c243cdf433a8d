package com.mandateregistry.api.mandate;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Suspend a mandate of the caller's tenant.
 *
 * @param expectedVersion when not null, the command is refused unless the mandate is at exactly
 *     this version (the {@code If-Match} header)
 */
public record SuspendMandateCommand(
    @TargetAggregateIdentifier String mandateId,
    String tenantId,
    String reason,
    Long expectedVersion) {}
