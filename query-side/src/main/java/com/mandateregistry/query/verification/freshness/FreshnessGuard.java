package com.mandateregistry.query.verification.freshness;

import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.query.verification.MandateAuthority;
import com.mandateregistry.query.verification.MandateSnapshot;
import com.mandateregistry.query.verification.recording.DecisionRecorder;
import com.mandateregistry.query.verification.recording.DecisionRecorder.ActiveCheck;
import com.mandateregistry.query.verification.recording.DecisionRecorder.DenyCheck;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Closes the gap between the eventually consistent verification index and the truth, for ALLOW
 * decisions: before an ALLOW is returned, the mandate's row in {@code mandate_authority} (written in
 * the same transaction as every lifecycle event, see {@link MandateAuthorityProjection}) must say
 * ACTIVE. Either one primary-key read per ALLOW ({@link #status}), or one read for all the ALLOWs
 * of a group commit, in the transaction that stores their decisions ({@link #notActive}); DENY needs no check, since a stale index can only make a
 * mandate look more permissive than it is, never less, for the lifecycle states (a newer ACTIVE
 * after a reactivation is the only case where a stale DENY can occur, and it lasts as long as the
 * index lag).
 *
 * <p>Likewise {@code deny_mandate} (same transaction, same projection): an ALLOW is stored only if
 * its decision saw every DENY mandate of the delegate listed there ({@link #unseenDenies}, one
 * query per group commit), so an acknowledged DENY mandate overrides at once.
 */
@Component
public class FreshnessGuard implements MandateAuthority, DecisionRecorder.ActiveMandates {

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

  /**
   * The DENY-effect mandates of {@code delegateSubjectId} in {@code tenantId} that are not revoked
   * or expired, as of now. One indexed read.
   */
  public List<String> denyMandates(String tenantId, String delegateSubjectId) {
    return jdbc.queryForList(
        "SELECT mandate_id FROM deny_mandate WHERE tenant_id = ? AND delegate_subject_id = ?",
        String.class, tenantId, delegateSubjectId);
  }

  /**
   * Of {@code checks}, those whose delegate has a DENY mandate not revoked or expired that the
   * check's decision did not see: an ALLOW must not be answered on them. One query for all.
   */
  @Override
  public Set<DenyCheck> unseenDenies(Collection<DenyCheck> checks) {
    Map<List<String>, List<DenyCheck>> byDelegate = new HashMap<>();
    for (DenyCheck check : checks) {
      byDelegate.computeIfAbsent(List.of(check.tenantId(), check.delegateSubjectId()), k -> new ArrayList<>())
          .add(check);
    }
    String[] tenants = byDelegate.keySet().stream().map(k -> k.get(0)).toArray(String[]::new);
    String[] delegates = byDelegate.keySet().stream().map(k -> k.get(1)).toArray(String[]::new);
    Set<DenyCheck> unseen = new HashSet<>();
    jdbc.query(
        "SELECT d.mandate_id, d.tenant_id, d.delegate_subject_id FROM deny_mandate d"
            + " JOIN unnest(?::text[], ?::text[]) AS c(tenant_id, delegate_subject_id)"
            + " ON d.tenant_id = c.tenant_id AND d.delegate_subject_id = c.delegate_subject_id",
        ps -> {
          ps.setArray(1, ps.getConnection().createArrayOf("text", tenants));
          ps.setArray(2, ps.getConnection().createArrayOf("text", delegates));
        },
        rs -> {
          String mandateId = rs.getString("mandate_id");
          for (DenyCheck check :
              byDelegate.getOrDefault(
                  List.of(rs.getString("tenant_id"), rs.getString("delegate_subject_id")), List.of())) {
            if (!check.seenMandateIds().contains(mandateId)) {
              unseen.add(check);
            }
          }
        });
    return unseen;
  }

  /** Of {@code checks}, those whose mandate has a row that says other than ACTIVE. One query. */
  @Override
  public Set<ActiveCheck> notActive(Collection<ActiveCheck> checks) {
    String[] ids = checks.stream().map(ActiveCheck::mandateId).distinct().toArray(String[]::new);
    Set<ActiveCheck> wanted = new HashSet<>(checks);
    Set<ActiveCheck> notActive = new HashSet<>();
    jdbc.query(
        "SELECT mandate_id, tenant_id FROM mandate_authority WHERE mandate_id = ANY (?) AND status <> 'ACTIVE'",
        ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", ids)),
        rs -> {
          ActiveCheck found = new ActiveCheck(rs.getString("tenant_id"), rs.getString("mandate_id"));
          if (wanted.contains(found)) {
            notActive.add(found);
          }
        });
    return notActive;
  }
}
