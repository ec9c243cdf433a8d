package com.mandateregistry.api.tenant;

import com.mandateregistry.api.TenantEvent;
import java.time.Instant;
import org.axonframework.serialization.Revision;

/** A tenant account exists and is ACTIVE. */
@Revision("1")
public record TenantRegisteredEvent(String tenantId, String companyName, String plan, Instant registeredAt)
    implements TenantEvent {}
