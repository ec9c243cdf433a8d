package com.mandateregistry.query.verification.freshness;

import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateApprovedEvent;
import com.mandateregistry.api.mandate.MandateCreatedEvent;
import com.mandateregistry.api.mandate.MandateExpiredEvent;
import com.mandateregistry.api.mandate.MandateReactivatedEvent;
import com.mandateregistry.api.mandate.MandateRevokedEvent;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.mandate.MandateSuspendedEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code mandate_authority}: each mandate's status and version as of its last stored event;
 * and {@code deny_mandate}: the DENY-effect mandates not revoked or expired, by delegate.
 *
 * <p>Its processor ({@value #PROCESSING_GROUP}) is <em>subscribing</em>: it runs on the thread that
 * stores the event, inside the same transaction. When a suspend or revoke is acknowledged, this row
 * already says so; that is what makes the row authoritative for {@link FreshnessGuard}. Idempotent:
 * a row only moves to a newer version.
 */
@Component
@ProcessingGroup(MandateAuthorityProjection.PROCESSING_GROUP)
class MandateAuthorityProjection {

  static final String PROCESSING_GROUP = "mandate-authority";

  private final JdbcTemplate jdbc;

  MandateAuthorityProjection(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  void on(MandateCreatedEvent event, @SequenceNumber Long version) {
    upsert(event.mandateId(), event.tenantId(), MandateStatus.initialFor(event.constraints()), version);
    if (event.scope().effect() == Effect.DENY) {
      jdbc.update(
          "INSERT INTO deny_mandate (mandate_id, tenant_id, delegate_subject_id) VALUES (?, ?, ?)"
              + " ON CONFLICT (mandate_id) DO NOTHING",
          event.mandateId(), event.tenantId(), event.delegate().subjectId());
    }
  }

  @EventHandler
  void on(MandateApprovedEvent event, @SequenceNumber Long version) {
    upsert(event.mandateId(), event.tenantId(), MandateStatus.ACTIVE, version);
  }

  @EventHandler
  void on(MandateSuspendedEvent event, @SequenceNumber Long version) {
    upsert(event.mandateId(), event.tenantId(), MandateStatus.SUSPENDED, version);
  }

  @EventHandler
  void on(MandateReactivatedEvent event, @SequenceNumber Long version) {
    upsert(event.mandateId(), event.tenantId(), MandateStatus.ACTIVE, version);
  }

  @EventHandler
  void on(MandateRevokedEvent event, @SequenceNumber Long version) {
    upsert(event.mandateId(), event.tenantId(), MandateStatus.REVOKED, version);
    jdbc.update("DELETE FROM deny_mandate WHERE mandate_id = ?", event.mandateId());
  }

  @EventHandler
  void on(MandateExpiredEvent event, @SequenceNumber Long version) {
    upsert(event.mandateId(), event.tenantId(), MandateStatus.EXPIRED, version);
    jdbc.update("DELETE FROM deny_mandate WHERE mandate_id = ?", event.mandateId());
  }

  /** A subscribing processor is never replayed; the table is only ever moved forward. */
  @ResetHandler
  void reset() {
    // nothing to clear: rows only move to newer versions, so a replay would change nothing
  }

  private void upsert(String mandateId, String tenantId, MandateStatus status, long version) {
    jdbc.update(
        """
        INSERT INTO mandate_authority (mandate_id, tenant_id, status, version) VALUES (?, ?, ?, ?)
        ON CONFLICT (mandate_id) DO UPDATE SET status = excluded.status, version = excluded.version
        WHERE mandate_authority.version < excluded.version
        """,
        mandateId, tenantId, status.name(), version);
  }
}
