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
import com.mandateregistry.api.mandate.constraints.MandateConstraints;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
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

  /**
   * When the mandate stops granting: {@code expires_at} or {@code created_at} plus the {@code
   * duration} constraint, whichever is earlier; null if neither is set. Its expiry deadline is
   * scheduled for this instant, and no transition is taken from it on.
   */
  private Instant validUntil;

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
    Instant end = endOf(command.constraints(), command.createdAt(), command.expiresAt());
    if (end != null) {
      deadlines.schedule(end, EXPIRY_DEADLINE, new ExpiryDue(command.mandateId()));
    }
  }

  /**
   * When a mandate created at {@code createdAt} with these constraints and {@code expiresAt} stops
   * granting, as the verification decides it (MandateConstraints#validUntil); null if never.
   */
  static Instant endOf(Map<String, ?> constraints, Instant createdAt, Instant expiresAt) {
    try {
      return MandateConstraints.parse(constraints).validUntil(createdAt, expiresAt).orElse(null);
    } catch (IllegalArgumentException e) {
      // constraints stored before one of today's rules existed: expires_at still holds
      return expiresAt;
    }
  }

  @CommandHandler
  MandateChange handle(ApproveMandateCommand command, Clock clock) {
    requireTenant(command.tenantId());
    requireVersion(command.expectedVersion());
    requireStatus("approve", MandateStatus.DRAFT);
    Instant now = clock.instant();
    requireNotEnded("approve", now);
    apply(new MandateApprovedEvent(mandateId, tenantId, now));
    return change(now);
  }

  @CommandHandler
  MandateChange handle(SuspendMandateCommand command, Clock clock) {
    requireTenant(command.tenantId());
    requireVersion(command.expectedVersion());
    requireStatus("suspend", MandateStatus.ACTIVE);
    Instant now = clock.instant();
    requireNotEnded("suspend", now);
    apply(new MandateSuspendedEvent(mandateId, tenantId, command.reason(), now));
    return change(now);
  }

  @CommandHandler
  MandateChange handle(ReactivateMandateCommand command, Clock clock) {
    requireTenant(command.tenantId());
    requireVersion(command.expectedVersion());
    requireStatus("reactivate", MandateStatus.SUSPENDED);
    Instant now = clock.instant();
    requireNotEnded("reactivate", now);
    apply(new MandateReactivatedEvent(mandateId, tenantId, now));
    return change(now);
  }

  @CommandHandler
  MandateChange handle(RevokeMandateCommand command, Clock clock) {
    requireTenant(command.tenantId());
    requireVersion(command.expectedVersion());
    requireStatus("revoke", MandateStatus.DRAFT, MandateStatus.ACTIVE, MandateStatus.SUSPENDED);
    Instant now = clock.instant();
    requireNotEnded("revoke", now);
    apply(new MandateRevokedEvent(mandateId, tenantId, command.reason(), now));
    return change(now);
  }

  @DeadlineHandler(deadlineName = EXPIRY_DEADLINE)
  void expire(ExpiryDue due, Clock clock) {
    if (!status.isFinal()) {
      Instant now = clock.instant();
      // the instant it stopped granting, also when the deadline runs late (the service was down)
      Instant expiredAt = validUntil != null && validUntil.isBefore(now) ? validUntil : now;
      apply(
          new MandateExpiredEvent(mandateId, tenantId, expiredAt),
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
    validUntil = endOf(event.constraints(), event.createdAt(), event.expiresAt());
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

  /**
   * Refuses a command whose {@code If-Match} names another version than the mandate's. Checked
   * here, after {@link #requireTenant}, not by Axon when it loads the aggregate: there another
   * tenant's If-Match was a 409 that told an existing id from a missing one (a 404).
   */
  private void requireVersion(Long expected) {
    if (expected != null && expected != version) {
      throw new ConflictingAggregateVersionException(mandateId, expected, version);
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

  /**
   * Refuses a transition once the mandate has stopped granting, even before its expiry deadline
   * has run and recorded it (the deadline records the expiry; EXPIRED is final).
   */
  private void requireNotEnded(String action, Instant now) {
    if (validUntil != null && !now.isBefore(validUntil)) {
      throw new IllegalTransitionException(mandateId, action, MandateStatus.EXPIRED);
    }
  }

  private MandateChange change(Instant at) {
    return new MandateChange(mandateId, status, version, at);
  }
}
