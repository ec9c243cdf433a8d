package com.mandateregistry.api.mandate;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Approve a DRAFT mandate (one created with {@code constraints.approval_required}); it becomes
 * ACTIVE.
 *
 * @param expectedVersion when not null, the command is refused unless the mandate is at exactly
 *     this version (the {@code If-Match} header)
 */
public record ApproveMandateCommand(
    @TargetAggregateIdentifier String mandateId,
    String tenantId,
    Long expectedVersion) {}
