package com.mandateregistry.command.mandate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.mandate.ApproveMandateCommand;
import com.mandateregistry.api.mandate.CreateMandateCommand;
import com.mandateregistry.api.mandate.MandateApprovedEvent;
import com.mandateregistry.api.mandate.MandateChange;
import com.mandateregistry.api.mandate.MandateCreatedEvent;
import com.mandateregistry.api.mandate.MandateExpiredEvent;
import com.mandateregistry.api.mandate.MandateReactivatedEvent;
import com.mandateregistry.api.mandate.MandateRevokedEvent;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import com.mandateregistry.api.mandate.ReactivateMandateCommand;
import com.mandateregistry.api.mandate.RevokeMandateCommand;
import com.mandateregistry.api.mandate.SuspendMandateCommand;
import java.time.Clock;
import java.time.Instant;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One mandate and its lifecycle: DRAFT → ACTIVE (approval, for mandates created with {@code
 * constraints.approval_required}); ACTIVE ⇄ SUSPENDED; DRAFT, ACTIVE or SUSPENDED → REVOKED
 * (final); DRAFT, ACTIVE or SUSPENDED → EXPIRED at {@code expires_at} (final), driven by a
 * persistent deadline.
 *
 * <p>Expiry is the system's act, so its event names the system as actor, whoever created the
 * mandate.
 *
 * <p>A command naming another tenant is answered exactly like a command for a mandate that does not
 * exist, so that tenants cannot probe each other's ids.
 */
@Aggregate
class MandateAggregate {

  static final String EXPIRY_DEADLINE = "mandate-expiry";

  @AggregateIdentifier private String mandateId;
  private String tenantId;
  private MandateStatus status;
  private long version = -1;

  MandateAggregate() {
    // required by Axon to rebuild the aggregate from its events
  }

  @CommandHandler
  MandateAggregate(CreateMandateCommand command, DeadlineManager deadlines) {
    if (command.expiresAt() != null && !command.expiresAt().isAfter(command.createdAt())) {
      throw new InvalidMandateException("expires_at must be in the future");
    }
    apply(
        new MandateCreatedEvent(
            command.mandateId(),
            command.tenantId(),
            command.principal(),
            command.delegate(),
            command.scope(),
            command.constraints(),
            command.metadata(),
            command.expiresAt(),
            command.createdAt()));
    if (command.expiresAt() != null) {
      deadlines.schedule(command.expiresAt(), EXPIRY_DEADLINE, new ExpiryDue(command.mandateId()));
    }
  }

  @CommandHandler
  MandateChange handle(ApproveMandateCommand command, Clock clock) {
    requireTenant(command.tenantId());
    requireStatus("approve", MandateStatus.DRAFT);
    Instant now = clock.instant();
    apply(new MandateApprovedEvent(mandateId, tenantId, now));
    return change(now);
  }

  @CommandHandler
  MandateChange handle(SuspendMandateCommand command, Clock clock) {
    requireTenant(command.tenantId());
    requireStatus("suspend", MandateStatus.ACTIVE);
    Instant now = clock.instant();
    apply(new MandateSuspendedEvent(mandateId, tenantId, command.reason(), now));
    return change(now);
  }

  @CommandHandler
  MandateChange handle(ReactivateMandateCommand command, Clock clock) {
    requireTenant(command.tenantId());
    requireStatus("reactivate", MandateStatus.SUSPENDED);
    Instant now = clock.instant();
    apply(new MandateReactivatedEvent(mandateId, tenantId, now));
    return change(now);
  }

  @CommandHandler
  MandateChange handle(RevokeMandateCommand command, Clock clock) {
    requireTenant(command.tenantId());
    requireStatus("revoke", MandateStatus.DRAFT, MandateStatus.ACTIVE, MandateStatus.SUSPENDED);
    Instant now = clock.instant();
    apply(new MandateRevokedEvent(mandateId, tenantId, command.reason(), now));
    return change(now);
  }

  @DeadlineHandler(deadlineName = EXPIRY_DEADLINE)
  void expire(ExpiryDue due, Clock clock) {
    if (!status.isFinal()) {
      Instant now = clock.instant();
      apply(
          new MandateExpiredEvent(mandateId, tenantId, now),
          MetaData.with(EventMetadata.TENANT_ID, tenantId)
              .and(EventMetadata.ACTOR_TYPE, "system")
              .and(EventMetadata.ACTOR_ID, "deadline:" + EXPIRY_DEADLINE)
              .and(EventMetadata.ISSUED_AT, now.toString()));
    }
  }

  @EventSourcingHandler
  void on(MandateCreatedEvent event) {
    mandateId = event.mandateId();
    tenantId = event.tenantId();
    status = MandateStatus.initialFor(event.constraints());
    version++;
  }

  @EventSourcingHandler
  void on(MandateApprovedEvent event) {
    status = MandateStatus.ACTIVE;
    version++;
  }

  @EventSourcingHandler
  void on(MandateSuspendedEvent event) {
    status = MandateStatus.SUSPENDED;
    version++;
  }

  @EventSourcingHandler
  void on(MandateReactivatedEvent event) {
    status = MandateStatus.ACTIVE;
    version++;
  }

  @EventSourcingHandler
  void on(MandateRevokedEvent event) {
    status = MandateStatus.REVOKED;
    version++;
  }

  @EventSourcingHandler
  void on(MandateExpiredEvent event) {
    status = MandateStatus.EXPIRED;
    version++;
  }

  private void requireTenant(String callerTenant) {
    if (!tenantId.equals(callerTenant)) {
      throw new MandateNotFoundException(mandateId);
    }
  }

  private void requireStatus(String action, MandateStatus... allowed) {
    for (MandateStatus s : allowed) {
      if (status == s) {
        return;
      }
    }
    throw new IllegalTransitionException(mandateId, action, status);
  }

  private MandateChange change(Instant at) {
    return new MandateChange(mandateId, status, version, at);
  }
}
