package com.mandateregistry.query.verification.freshness;

import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.query.verification.MandateAuthority;
import com.mandateregistry.query.verification.MandateSnapshot;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Closes the gap between the eventually consistent verification index and the truth, for ALLOW
 * decisions: before an ALLOW is returned, the mandate's row in {@code mandate_authority} (written in
 * the same transaction as every lifecycle event, see {@link MandateAuthorityProjection}) must say
 * ACTIVE. One primary-key read per ALLOW; DENY needs no check, since a stale index can only make a
 * mandate look more permissive than it is, never less, for the lifecycle states (a newer ACTIVE
 * after a reactivation is the only case where a stale DENY can occur, and it lasts as long as the
 * index lag).
 */
@Component
public class FreshnessGuard implements MandateAuthority {

  private final JdbcTemplate jdbc;

  FreshnessGuard(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<MandateStatus> statusOf(MandateSnapshot mandate) {
    return status(mandate.tenantId(), mandate.mandateId());
  }

  /** The authoritative status of a mandate of {@code tenantId}, or empty if there is no row. */
  public Optional<MandateStatus> status(String tenantId, String mandateId) {
    List<String> rows =
        jdbc.queryForList(
            "SELECT status FROM mandate_authority WHERE mandate_id = ? AND tenant_id = ?",
            String.class, mandateId, tenantId);
    return rows.stream().findFirst().map(MandateStatus::valueOf);
  }
}
