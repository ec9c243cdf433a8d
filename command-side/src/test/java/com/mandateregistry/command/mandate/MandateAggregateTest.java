package com.mandateregistry.command.mandate;

import static com.mandateregistry.command.mandate.MandateFixture.CREATED_AT;
import static com.mandateregistry.command.mandate.MandateFixture.EXPIRES_AT;
import static com.mandateregistry.command.mandate.MandateFixture.MANDATE_ID;
import static com.mandateregistry.command.mandate.MandateFixture.OTHER_TENANT_ID;
import static com.mandateregistry.command.mandate.MandateFixture.TENANT_ID;
import static com.mandateregistry.command.mandate.MandateFixture.activeMandate;
import static com.mandateregistry.command.mandate.MandateFixture.createCommand;
import static com.mandateregistry.command.mandate.MandateFixture.draftMandate;
import static com.mandateregistry.command.mandate.MandateFixture.suspended;

import com.mandateregistry.api.mandate.ApproveMandateCommand;
import com.mandateregistry.api.mandate.CreateMandateCommand;
import com.mandateregistry.api.mandate.MandateApprovedEvent;
import com.mandateregistry.api.mandate.MandateChange;
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
import java.time.ZoneOffset;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MandateAggregateTest {

  private static final Instant NOW = CREATED_AT.plusSeconds(3600);

  private AggregateTestFixture<MandateAggregate> fixture;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(MandateAggregate.class);
    fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void create_isActiveAndSchedulesExpiry() {
    fixture
        .givenNoPriorActivity()
        .when(createCommand())
        .expectSuccessfulHandlerExecution()
        .expectEvents(activeMandate())
        .expectScheduledDeadlineWithName(EXPIRES_AT, MandateAggregate.EXPIRY_DEADLINE);
  }

  @Test
  void create_withoutExpiry_schedulesNothing() {
    CreateMandateCommand c = createCommand();
    CreateMandateCommand open =
        new CreateMandateCommand(
            c.mandateId(), c.tenantId(), c.principal(), c.delegate(), c.scope(), c.constraints(),
            c.metadata(), null, c.createdAt());
    fixture.givenNoPriorActivity().when(open).expectSuccessfulHandlerExecution().expectNoScheduledDeadlines();
  }

  @Test
  void create_whenExpiryIsNotInTheFuture_isRejected() {
    CreateMandateCommand c = createCommand();
    CreateMandateCommand past =
        new CreateMandateCommand(
            c.mandateId(), c.tenantId(), c.principal(), c.delegate(), c.scope(), c.constraints(),
            c.metadata(), c.createdAt(), c.createdAt());
    fixture.givenNoPriorActivity().when(past).expectException(InvalidMandateException.class).expectNoEvents();
  }

  @Test
  void approve_whenDraft_isActive() {
    fixture
        .given(draftMandate())
        .when(new ApproveMandateCommand(MANDATE_ID, TENANT_ID, null))
        .expectEvents(new MandateApprovedEvent(MANDATE_ID, TENANT_ID, NOW))
        .expectResultMessagePayload(new MandateChange(MANDATE_ID, MandateStatus.ACTIVE, 1, NOW));
  }

  @Test
  void approve_whenAlreadyActive_isRejected() {
    fixture
        .given(activeMandate())
        .when(new ApproveMandateCommand(MANDATE_ID, TENANT_ID, null))
        .expectException(IllegalTransitionException.class)
        .expectNoEvents();
  }

  @Test
  void suspend_whenDraft_isRejected() {
    fixture
        .given(draftMandate())
        .when(new SuspendMandateCommand(MANDATE_ID, TENANT_ID, "review", null))
        .expectException(IllegalTransitionException.class)
        .expectNoEvents();
  }

  @Test
  void revoke_whenDraft_isRevoked() {
    fixture
        .given(draftMandate())
        .when(new RevokeMandateCommand(MANDATE_ID, TENANT_ID, "not needed", null))
        .expectEvents(new MandateRevokedEvent(MANDATE_ID, TENANT_ID, "not needed", NOW))
        .expectResultMessagePayload(new MandateChange(MANDATE_ID, MandateStatus.REVOKED, 1, NOW));
  }

  @Test
  void approve_fromAnotherTenant_looksLikeAMissingMandate() {
    fixture
        .given(draftMandate())
        .when(new ApproveMandateCommand(MANDATE_ID, OTHER_TENANT_ID, null))
        .expectException(MandateNotFoundException.class)
        .expectNoEvents();
  }

  @Test
  void suspend_whenActive_isSuspended() {
    fixture
        .given(activeMandate())
        .when(new SuspendMandateCommand(MANDATE_ID, TENANT_ID, "review", null))
        .expectEvents(new MandateSuspendedEvent(MANDATE_ID, TENANT_ID, "review", NOW))
        .expectResultMessagePayload(new MandateChange(MANDATE_ID, MandateStatus.SUSPENDED, 1, NOW));
  }

  @Test
  void suspend_whenAlreadySuspended_isRejected() {
    fixture
        .given(activeMandate(), suspended())
        .when(new SuspendMandateCommand(MANDATE_ID, TENANT_ID, "again", null))
        .expectException(IllegalTransitionException.class)
        .expectNoEvents();
  }

  @Test
  void reactivate_whenSuspended_isActive() {
    fixture
        .given(activeMandate(), suspended())
        .when(new ReactivateMandateCommand(MANDATE_ID, TENANT_ID, null))
        .expectEvents(new MandateReactivatedEvent(MANDATE_ID, TENANT_ID, NOW))
        .expectResultMessagePayload(new MandateChange(MANDATE_ID, MandateStatus.ACTIVE, 2, NOW));
  }

  @Test
  void reactivate_whenActive_isRejected() {
    fixture
        .given(activeMandate())
        .when(new ReactivateMandateCommand(MANDATE_ID, TENANT_ID, null))
        .expectException(IllegalTransitionException.class)
        .expectNoEvents();
  }

  @Test
  void revoke_whenActive_isRevoked() {
    fixture
        .given(activeMandate())
        .when(new RevokeMandateCommand(MANDATE_ID, TENANT_ID, "contract ended", null))
        .expectEvents(new MandateRevokedEvent(MANDATE_ID, TENANT_ID, "contract ended", NOW));
  }

  @Test
  void revoke_whenSuspended_isRevoked() {
    fixture
        .given(activeMandate(), suspended())
        .when(new RevokeMandateCommand(MANDATE_ID, TENANT_ID, null, null))
        .expectEvents(new MandateRevokedEvent(MANDATE_ID, TENANT_ID, null, NOW));
  }

  @Test
  void revoke_whenAlreadyRevoked_isRejected() {
    fixture
        .given(activeMandate(), new MandateRevokedEvent(MANDATE_ID, TENANT_ID, null, NOW))
        .when(new RevokeMandateCommand(MANDATE_ID, TENANT_ID, null, null))
        .expectException(IllegalTransitionException.class)
        .expectNoEvents();
  }

  @Test
  void reactivate_whenRevoked_isRejected() {
    fixture
        .given(activeMandate(), new MandateRevokedEvent(MANDATE_ID, TENANT_ID, null, NOW))
        .when(new ReactivateMandateCommand(MANDATE_ID, TENANT_ID, null))
        .expectException(IllegalTransitionException.class);
  }

  @Test
  void suspend_whenExpired_isRejected() {
    fixture
        .given(activeMandate(), new MandateExpiredEvent(MANDATE_ID, TENANT_ID, EXPIRES_AT))
        .when(new SuspendMandateCommand(MANDATE_ID, TENANT_ID, null, null))
        .expectException(IllegalTransitionException.class);
  }

  @Test
  void anyCommand_fromAnotherTenant_looksLikeAMissingMandate() {
    fixture
        .given(activeMandate())
        .when(new RevokeMandateCommand(MANDATE_ID, OTHER_TENANT_ID, null, null))
        .expectException(MandateNotFoundException.class)
        .expectNoEvents();
  }

  @Test
  void command_withStaleExpectedVersion_isRejected() {
    fixture
        .given(activeMandate(), suspended())
        .when(new ReactivateMandateCommand(MANDATE_ID, TENANT_ID, 0L))
        .expectException(ConflictingAggregateVersionException.class)
        .expectNoEvents();
  }

  @Test
  void expiryDeadline_whenActive_expiresTheMandate() {
    fixture
        .givenCommands(createCommand())
        .whenThenTimeAdvancesTo(EXPIRES_AT)
        .expectTriggeredDeadlinesWithName(MandateAggregate.EXPIRY_DEADLINE)
        .expectEvents(new MandateExpiredEvent(MANDATE_ID, TENANT_ID, NOW));
  }

  @Test
  void expiryDeadline_whenRevoked_doesNothing() {
    fixture
        .givenCommands(createCommand(), new RevokeMandateCommand(MANDATE_ID, TENANT_ID, null, null))
        .whenThenTimeAdvancesTo(EXPIRES_AT)
        .expectNoEvents();
  }
}
