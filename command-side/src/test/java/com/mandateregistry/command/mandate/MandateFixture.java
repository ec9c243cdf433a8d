package com.mandateregistry.command.mandate;

import com.mandateregistry.api.mandate.CreateMandateCommand;
import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateCreatedEvent;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import com.mandateregistry.api.mandate.Scope;
import com.mandateregistry.api.mandate.Subject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test-only helper: ready-made mandate commands and events. */
final class MandateFixture {

  static final String MANDATE_ID = "mdt_01HXYZ0000000000000000000A";
  static final String TENANT_ID = "tnt_01HXYZ0000000000000000000A";
  static final String OTHER_TENANT_ID = "tnt_01HXYZ0000000000000000000B";
  static final Instant CREATED_AT = Instant.parse("2026-01-01T10:00:00Z");
  static final Instant EXPIRES_AT = Instant.parse("2026-02-01T10:00:00Z");

  private MandateFixture() {}

  static CreateMandateCommand createCommand() {
    return new CreateMandateCommand(
        MANDATE_ID,
        TENANT_ID,
        new Subject("natural_person", "monco:user:max"),
        new Subject("ai_agent", "monco:agent:validate-agent-v2"),
        new Scope(List.of("construction.validation.*"), List.of("monco:project:p1/**"), Effect.ALLOW),
        Map.of(),
        Map.of("ticket", "T-1"),
        EXPIRES_AT,
        CREATED_AT);
  }

  static MandateCreatedEvent activeMandate() {
    CreateMandateCommand c = createCommand();
    return new MandateCreatedEvent(
        c.mandateId(),
        c.tenantId(),
        c.principal(),
        c.delegate(),
        c.scope(),
        c.constraints(),
        c.metadata(),
        c.expiresAt(),
        c.createdAt());
  }

  /** A mandate created with {@code approval_required}: it starts as DRAFT. */
  static MandateCreatedEvent draftMandate() {
    MandateCreatedEvent a = activeMandate();
    return new MandateCreatedEvent(a.mandateId(), a.tenantId(), a.principal(), a.delegate(), a.scope(),
        Map.of("approval_required", true), a.metadata(), a.expiresAt(), a.createdAt());
  }

  static MandateSuspendedEvent suspended() {
    return new MandateSuspendedEvent(MANDATE_ID, TENANT_ID, "review", CREATED_AT.plusSeconds(60));
  }
}
