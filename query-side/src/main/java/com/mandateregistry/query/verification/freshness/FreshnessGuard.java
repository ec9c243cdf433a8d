package com.mandateregistry.query.verification.freshness;

import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.query.verification.MandateAuthority;
import com.mandateregistry.query.verification.MandateSnapshot;
import com.mandateregistry.query.verification.recording.DecisionRecorder;
import com.mandateregistry.query.verification.recording.DecisionRecorder.ActiveCheck;
import com.mandateregistry.query.verification.recording.DecisionRecorder.DenyCheck;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * its decision saw every DENY mandate of the delegate listed there ({@link #unseenDenies}), so an
 * acknowledged DENY mandate overrides at once. A group commit with ALLOWs asks both in one query
 * ({@link #refusals}).
 */
@Component
public class FreshnessGuard implements MandateAuthority, DecisionRecorder.ActiveMandates {

  /** The mandates among one parameter's ids whose authoritative status is not ACTIVE. */
  private static final String STATUS_ROWS =
      "SELECT mandate_id, tenant_id FROM mandate_authority WHERE mandate_id = ANY (?) AND status <> 'ACTIVE'";

  /**
   * The DENY mandates not revoked or expired of the (tenant, delegate) pairs given by two
   * parameters, with their authoritative status and version (written in the same transactions).
   */
  private static final String DENY_ROWS =
      "SELECT d.mandate_id, d.tenant_id, d.delegate_subject_id, a.status, a.version FROM deny_mandate d"
          + " JOIN unnest(?::text[], ?::text[]) AS c(tenant_id, delegate_subject_id)"
          + " ON d.tenant_id = c.tenant_id AND d.delegate_subject_id = c.delegate_subject_id"
          + " LEFT JOIN mandate_authority a ON a.mandate_id = d.mandate_id";

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
   * or expired, as of now, each with its authoritative version. One indexed read.
   */
  public Map<String, Long> denyMandates(String tenantId, String delegateSubjectId) {
    Map<String, Long> versions = new HashMap<>();
    jdbc.query(
        "SELECT d.mandate_id, coalesce(a.version, 0) AS version FROM deny_mandate d"
            + " LEFT JOIN mandate_authority a ON a.mandate_id = d.mandate_id"
            + " WHERE d.tenant_id = ? AND d.delegate_subject_id = ?",
        rs -> {
          versions.put(rs.getString("mandate_id"), rs.getLong("version"));
        },
        tenantId, delegateSubjectId);
    return versions;
  }

  /**
   * Of {@code checks}, those whose delegate has a DENY mandate not revoked or expired that the
   * check's decision did not see: an ALLOW must not be answered on them. One query for all.
   */
  @Override
  public Set<DenyCheck> unseenDenies(Collection<DenyCheck> checks) {
    DenyRows denies = new DenyRows(checks);
    jdbc.query(
        DENY_ROWS,
        ps -> denies.bind(ps, 1),
        denies::accept);
    return denies.unseen;
  }

  /** Of {@code checks}, those whose mandate has a row that says other than ACTIVE. One query. */
  @Override
  public Set<ActiveCheck> notActive(Collection<ActiveCheck> checks) {
    StatusRows statuses = new StatusRows(checks);
    jdbc.query(
        STATUS_ROWS,
        ps -> statuses.bind(ps, 1),
        statuses::accept);
    return statuses.notActive;
  }

  /**
   * Both kinds of checks of a group commit in one query (one round trip in the recorder's
   * transaction instead of two): the rows of both reads, told apart by a {@code kind} column.
   */
  @Override
  public DecisionRecorder.Refusals refusals(
      Collection<ActiveCheck> checks, Collection<DenyCheck> denyChecks) {
    if (checks.isEmpty() || denyChecks.isEmpty()) {
      return DecisionRecorder.ActiveMandates.super.refusals(checks, denyChecks);
    }
    StatusRows statuses = new StatusRows(checks);
    DenyRows denies = new DenyRows(denyChecks);
    jdbc.query(
        "SELECT 's' AS kind, mandate_id, tenant_id, NULL::text AS delegate_subject_id,"
            + " NULL::text AS status, NULL::bigint AS version FROM ("
            + STATUS_ROWS
            + ") s UNION ALL SELECT 'd', mandate_id, tenant_id, delegate_subject_id, status, version FROM ("
            + DENY_ROWS
            + ") d",
        ps -> {
          statuses.bind(ps, 1);
          denies.bind(ps, 2);
        },
        rs -> {
          if ("s".equals(rs.getString("kind"))) {
            statuses.accept(rs);
          } else {
            denies.accept(rs);
          }
        });
    return new DecisionRecorder.Refusals(statuses.notActive, denies.unseen);
  }

  /** Binds the ids of status checks and collects the checks whose rows {@link #STATUS_ROWS} returns. */
  private static final class StatusRows {
    private final String[] ids;
    private final Set<ActiveCheck> wanted;
    private final Set<ActiveCheck> notActive = new HashSet<>();

    StatusRows(Collection<ActiveCheck> checks) {
      ids = checks.stream().map(ActiveCheck::mandateId).distinct().toArray(String[]::new);
      wanted = new HashSet<>(checks);
    }

    /** Binds the one parameter at {@code index}. */
    void bind(PreparedStatement ps, int index) throws SQLException {
      ps.setArray(index, ps.getConnection().createArrayOf("text", ids));
    }

    void accept(ResultSet rs) throws SQLException {
      ActiveCheck found = new ActiveCheck(rs.getString("tenant_id"), rs.getString("mandate_id"));
      if (wanted.contains(found)) {
        notActive.add(found);
      }
    }
  }

  /** Binds the delegates of DENY checks and collects the checks a row of {@link #DENY_ROWS} does not pass. */
  private static final class DenyRows {
    private final Map<List<String>, List<DenyCheck>> byDelegate = new HashMap<>();
    private final Set<DenyCheck> unseen = new HashSet<>();

    DenyRows(Collection<DenyCheck> checks) {
      for (DenyCheck check : checks) {
        byDelegate
            .computeIfAbsent(List.of(check.tenantId(), check.delegateSubjectId()), k -> new ArrayList<>())
            .add(check);
      }
    }

    /** Binds the two parameters at {@code index} and the one after it. */
    void bind(PreparedStatement ps, int index) throws SQLException {
      String[] tenants = byDelegate.keySet().stream().map(k -> k.get(0)).toArray(String[]::new);
      String[] delegates = byDelegate.keySet().stream().map(k -> k.get(1)).toArray(String[]::new);
      ps.setArray(index, ps.getConnection().createArrayOf("text", tenants));
      ps.setArray(index + 1, ps.getConnection().createArrayOf("text", delegates));
    }

    void accept(ResultSet rs) throws SQLException {
      String mandateId = rs.getString("mandate_id");
      String status = rs.getString("status");
      long version = rs.getLong("version"); // 0 without an authority row, which every DENY row has
      for (DenyCheck check :
          byDelegate.getOrDefault(
              List.of(rs.getString("tenant_id"), rs.getString("delegate_subject_id")), List.of())) {
        if (!check.passes(mandateId, status, version)) {
          unseen.add(check);
        }
      }
    }
  }
}
