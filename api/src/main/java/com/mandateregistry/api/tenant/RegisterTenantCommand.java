package com.mandateregistry.api.tenant;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Register an ACTIVE tenant with a plan. */
public record RegisterTenantCommand(
    @TargetAggregateIdentifier String tenantId, String companyName, String plan) {}
