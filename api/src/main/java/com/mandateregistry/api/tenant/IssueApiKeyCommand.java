package com.mandateregistry.api.tenant;

import java.util.List;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Record that an API key was issued to a tenant. The secret itself never travels in a command or an
 * event: the caller stores only its hash, in the same transaction.
 */
public record IssueApiKeyCommand(
    @TargetAggregateIdentifier String tenantId, String keyId, String name, List<String> scopes) {}
