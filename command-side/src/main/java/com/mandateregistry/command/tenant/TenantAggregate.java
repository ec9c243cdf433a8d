package com.mandateregistry.command.tenant;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.mandateregistry.api.tenant.ApiKeyIssuedEvent;
import com.mandateregistry.api.tenant.IssueApiKeyCommand;
import com.mandateregistry.api.tenant.RegisterTenantCommand;
import com.mandateregistry.api.tenant.TenantRegisteredEvent;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/** A tenant account and the ids of the API keys issued to it. */
@Aggregate
class TenantAggregate {

  @AggregateIdentifier private String tenantId;
  private final Set<String> keyIds = new HashSet<>();

  TenantAggregate() {
    // required by Axon to rebuild the aggregate from its events
  }

  @CommandHandler
  TenantAggregate(RegisterTenantCommand command, Clock clock) {
    apply(
        new TenantRegisteredEvent(
            command.tenantId(), command.companyName(), command.plan(), clock.instant()));
  }

  @CommandHandler
  void handle(IssueApiKeyCommand command, Clock clock) {
    if (keyIds.contains(command.keyId())) {
      throw new IllegalStateException("API key " + command.keyId() + " was already issued");
    }
    apply(
        new ApiKeyIssuedEvent(
            tenantId, command.keyId(), command.name(), command.scopes(), clock.instant()));
  }

  @EventSourcingHandler
  void on(TenantRegisteredEvent event) {
    tenantId = event.tenantId();
  }

  @EventSourcingHandler
  void on(ApiKeyIssuedEvent event) {
    keyIds.add(event.keyId());
  }
}
