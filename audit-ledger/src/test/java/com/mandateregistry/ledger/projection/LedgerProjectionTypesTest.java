package com.mandateregistry.ledger.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mandateregistry.api.tenant.TenantRegisteredEvent;
import com.mandateregistry.ledger.AuditLedger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/**
 * The ledger chains every event or stops: one whose type this node does not know (a newer node's,
 * in a rolling upgrade) fails its batch rather than being passed over, which left a hole in the
 * trail that no verifier could see (found by a code review). Tenant events go to the chaining
 * handler as before.
 */
class LedgerProjectionTypesTest {

  /** A stand-in that counts what it is asked to chain; the chaining itself is tested elsewhere. */
  private final AuditLedger ledger = Mockito.mock(AuditLedger.class);

  private final AnnotationEventHandlerAdapter adapter =
      new AnnotationEventHandlerAdapter(new LedgerProjection(ledger, Duration.ofMillis(1), Duration.ofMillis(1), Clock.systemUTC()));

  @Test
  void anEventOfATypeThisNodeDoesNotKnow_stopsTheLedger_ratherThanBeingSkipped() {
    Object unknown = JacksonSerializer.defaultSerializer().deserialize(new SimpleSerializedObject<>(
        "{\"tenantId\":\"tnt_1\",\"mandateId\":\"mdt_1\"}".getBytes(StandardCharsets.UTF_8),
        byte[].class, "com.mandateregistry.api.mandate.MandateDelegatedEvent", "1"));
    assertThat(unknown).isInstanceOf(UnknownSerializedType.class);
    EventMessage<?> newType = GenericEventMessage.asEventMessage(unknown);

    assertThat(adapter.canHandle(newType)).isTrue();
    assertThatThrownBy(() -> adapter.handle(newType))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(newType.getIdentifier())
        .hasMessageContaining("stops here rather than skip");
    Mockito.verifyNoInteractions(ledger);
  }

  @Test
  void aTenantEvent_goesToTheChainingHandler_notTheCatchAll() throws Exception {
    EventMessage<?> known = GenericEventMessage.asEventMessage(
        new TenantRegisteredEvent("tnt_1", "Acme", "free", java.time.Instant.parse("2025-03-01T09:30:00Z")));

    adapter.handle(known); // outside a unit of work the chaining handler appends at once

    Mockito.verify(ledger).appendAll(Mockito.argThat(batch -> batch.size() == 1
        && batch.get(0).tenantId().equals("tnt_1")));
  }
}
