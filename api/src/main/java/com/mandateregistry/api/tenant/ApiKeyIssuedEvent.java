package com.mandateregistry.api.tenant;

import com.mandateregistry.api.TenantEvent;
import java.time.Instant;
import java.util.List;
import org.axonframework.serialization.Revision;

/** An API key was issued. Carries the key's id and name, never its secret or the secret's hash. */
@Revision("1")
public record ApiKeyIssuedEvent(
    String tenantId, String keyId, String name, List<String> scopes, Instant issuedAt)
    implements TenantEvent {}
