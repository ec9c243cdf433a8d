package com.mandateregistry.query.mandate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.mandate.MandateApprovedEvent;
import com.mandateregistry.api.mandate.MandateCreatedEvent;
import com.mandateregistry.api.mandate.MandateExpiredEvent;
import com.mandateregistry.api.mandate.MandateReactivatedEvent;
import com.mandateregistry.api.mandate.MandateResponse;
import com.mandateregistry.api.mandate.MandateRevokedEvent;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import java.sql.Timestamp;
import java.time.Instant;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Builds {@code mandate_view} from the Kafka topic. Idempotent: each row remembers the aggregate
 * version it reflects, and an event is applied only when its sequence number is newer.
 */
@Component
@ProcessingGroup(MandateProjection.PROCESSING_GROUP)
class MandateProjection {

  static final String PROCESSING_GROUP = "mandate-read-model";

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  MandateProjection(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  @EventHandler
  void on(MandateCreatedEvent event, @SequenceNumber Long version, @MessageIdentifier String eventId) {
    jdbc.update(
        """
        INSERT INTO mandate_view (mandate_id, tenant_id, version, status, principal_type,
            principal_subject_id, delegate_type, delegate_subject_id, scope, constraints, metadata,
            created_at, updated_at, expires_at, last_event_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)
        ON CONFLICT (mandate_id) DO NOTHING
        """,
        event.mandateId(),
        event.tenantId(),
        version,
        MandateStatus.initialFor(event.constraints()).name(),
        event.principal().type(),
        event.principal().subjectId(),
        event.delegate().type(),
        event.delegate().subjectId(),
        write(MandateResponse.ScopeBody.of(event.scope())),
        write(event.constraints()),
        write(event.metadata()),
        ts(event.createdAt()),
        ts(event.createdAt()),
        ts(event.expiresAt()),
        eventId);
  }

  @EventHandler
  void on(MandateApprovedEvent event, @SequenceNumber Long version, @MessageIdentifier String eventId) {
    transition(event.mandateId(), MandateStatus.ACTIVE, event.approvedAt(), version, eventId);
  }

  @EventHandler
  void on(MandateSuspendedEvent event, @SequenceNumber Long version, @MessageIdentifier String eventId) {
    transition(event.mandateId(), MandateStatus.SUSPENDED, event.suspendedAt(), version, eventId);
  }

  @EventHandler
  void on(MandateReactivatedEvent event, @SequenceNumber Long version, @MessageIdentifier String eventId) {
    transition(event.mandateId(), MandateStatus.ACTIVE, event.reactivatedAt(), version, eventId);
  }

  @EventHandler
  void on(MandateRevokedEvent event, @SequenceNumber Long version, @MessageIdentifier String eventId) {
    transition(event.mandateId(), MandateStatus.REVOKED, event.revokedAt(), version, eventId);
  }

  @EventHandler
  void on(MandateExpiredEvent event, @SequenceNumber Long version, @MessageIdentifier String eventId) {
    transition(event.mandateId(), MandateStatus.EXPIRED, event.expiredAt(), version, eventId);
  }

  /**
   * Empties the read model for a replay. Axon runs this inside the reset's transaction, so {@code
   * SET LOCAL} lifts the sessions' statement timeout for it alone: the delete grows with the table.
   */
  @ResetHandler
  void reset() {
    jdbc.execute("SET LOCAL statement_timeout = 0");
    jdbc.update("DELETE FROM mandate_view");
  }

  private void transition(
      String mandateId, MandateStatus status, Instant at, long version, String eventId) {
    jdbc.update(
        """
        UPDATE mandate_view SET status = ?, updated_at = ?, version = ?, last_event_id = ?
        WHERE mandate_id = ? AND version < ?
        """,
        status.name(),
        ts(at),
        version,
        eventId,
        mandateId,
        version);
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise read-model column", e);
    }
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
