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

  /**
   * Another tenant's command is a missing mandate whatever its If-Match: before, a version above the
   * mandate's was Axon's 409 (checked when loading, before the tenant), which told an existing id
   * from a missing one.
   */
  @Test
  void anyIfMatch_fromAnotherTenant_looksLikeAMissingMandate() {
    for (long expected : new long[] {0L, 7L}) {
      fixture
          .given(activeMandate())
          .when(new SuspendMandateCommand(MANDATE_ID, OTHER_TENANT_ID, null, expected))
          .expectException(MandateNotFoundException.class)
          .expectNoEvents();
    }
  }

  @Test
  void command_withAVersionAheadOfTheMandate_isRejected_andTheRightOneTakes() {
    fixture
        .given(activeMandate())
        .when(new SuspendMandateCommand(MANDATE_ID, TENANT_ID, null, 7L))
        .expectException(ConflictingAggregateVersionException.class)
        .expectNoEvents();
    fixture
        .given(activeMandate())
        .when(new SuspendMandateCommand(MANDATE_ID, TENANT_ID, null, 0L))
        .expectSuccessfulHandlerExecution();
  }

  @Test
  void expiryDeadline_whenActive_expiresTheMandate() {
    fixture
        .givenCommands(createCommand())
        .whenThenTimeAdvancesTo(EXPIRES_AT)
        .expectTriggeredDeadlinesWithName(MandateAggregate.EXPIRY_DEADLINE)
        .expectEvents(new MandateExpiredEvent(MANDATE_ID, TENANT_ID, NOW));
  }

  /** A fixture whose clock reads {@code now}. */
  private static AggregateTestFixture<MandateAggregate> fixtureAt(Instant now) {
    AggregateTestFixture<MandateAggregate> f = new AggregateTestFixture<>(MandateAggregate.class);
    f.registerInjectableResource(Clock.fixed(now, ZoneOffset.UTC));
    return f;
  }

  private static CreateMandateCommand withConstraints(java.util.Map<String, Object> constraints, Instant expiresAt) {
    CreateMandateCommand c = createCommand();
    return new CreateMandateCommand(
        c.mandateId(), c.tenantId(), c.principal(), c.delegate(), c.scope(), constraints,
        c.metadata(), expiresAt, c.createdAt());
  }

  /** A mandate ended by its duration expires then too: before, only expires_at had a deadline. */
  @Test
  void create_withADuration_schedulesExpiryWhenTheDurationEnds_orAtExpiresAtIfEarlier() {
    fixture
        .givenNoPriorActivity()
        .when(withConstraints(java.util.Map.of("duration", "PT1H"), null))
        .expectScheduledDeadlineWithName(CREATED_AT.plusSeconds(3600), MandateAggregate.EXPIRY_DEADLINE);
    fixtureAt(NOW)
        .givenNoPriorActivity()
        .when(withConstraints(java.util.Map.of("duration", "P90D"), EXPIRES_AT))
        .expectScheduledDeadlineWithName(EXPIRES_AT, MandateAggregate.EXPIRY_DEADLINE);
  }

  /** A deadline that runs late (the service was down) records when the mandate expired. */
  @Test
  void expiryDeadline_runningLate_recordsWhenTheMandateExpired() {
    fixtureAt(EXPIRES_AT.plusSeconds(3 * 86_400))
        .givenCommands(createCommand())
        .whenThenTimeAdvancesTo(EXPIRES_AT)
        .expectEvents(new MandateExpiredEvent(MANDATE_ID, TENANT_ID, EXPIRES_AT));
  }

  /**
   * Once a mandate has stopped granting, no transition is taken, even before its deadline has run:
   * before, an approve or reactivate then answered 200 ACTIVE, and a revoke made it REVOKED instead
   * of EXPIRED.
   */
  @Test
  void aTransitionAfterTheMandateEnded_isRejectedAsExpired_beforeTheDeadlineRuns() {
    Instant after = EXPIRES_AT.plusSeconds(60);
    fixtureAt(after)
        .given(draftMandate())
        .when(new ApproveMandateCommand(MANDATE_ID, TENANT_ID, null))
        .expectException(IllegalTransitionException.class)
        .expectExceptionMessage(org.hamcrest.Matchers.containsString("it is EXPIRED"))
        .expectNoEvents();
    fixtureAt(after)
        .given(activeMandate(), suspended())
        .when(new ReactivateMandateCommand(MANDATE_ID, TENANT_ID, null))
        .expectException(IllegalTransitionException.class)
        .expectNoEvents();
    fixtureAt(after)
        .given(activeMandate())
        .when(new RevokeMandateCommand(MANDATE_ID, TENANT_ID, null, null))
        .expectException(IllegalTransitionException.class)
        .expectNoEvents();
    fixtureAt(CREATED_AT.plusSeconds(3600))
        .given(new MandateCreatedEvent(MANDATE_ID, TENANT_ID, activeMandate().principal(), activeMandate().delegate(),
            activeMandate().scope(), java.util.Map.of("duration", "PT1H"), java.util.Map.of(), null, CREATED_AT))
        .when(new SuspendMandateCommand(MANDATE_ID, TENANT_ID, null, null))
        .expectException(IllegalTransitionException.class)
        .expectNoEvents();
    // one second before the end it still works
    fixtureAt(EXPIRES_AT.minusSeconds(1))
        .given(activeMandate())
        .when(new SuspendMandateCommand(MANDATE_ID, TENANT_ID, null, null))
        .expectSuccessfulHandlerExecution();
  }

  @Test
  void expiryDeadline_whenRevoked_doesNothing() {
    fixture
        .givenCommands(createCommand(), new RevokeMandateCommand(MANDATE_ID, TENANT_ID, null, null))
        .whenThenTimeAdvancesTo(EXPIRES_AT)
        .expectNoEvents();
  }
}
