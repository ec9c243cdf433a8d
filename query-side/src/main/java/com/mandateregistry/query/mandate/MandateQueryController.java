package com.mandateregistry.query.mandate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.mandate.MandateResponse;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.Caller;
import com.mandateregistry.api.web.ConsistencyTokens;
import com.mandateregistry.api.web.CursorCodec;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.api.web.PageRequest;
import com.mandateregistry.api.web.Pagination;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mandate reads (004 "Mandates"): list and get. They serve the read model, which follows writes
 * through the event stream within milliseconds; a read straight after a write may not show it yet,
 * unless it sends back the write's {@value ConsistencyTokens#HEADER} (see {@link ReadModelWait}).
 */
@RestController
class MandateQueryController {

  private static final String COLUMNS =
      "mandate_id, tenant_id, version, status, principal_type, principal_subject_id, delegate_type,"
          + " delegate_subject_id, scope::text AS scope, constraints::text AS constraints,"
          + " metadata::text AS metadata, created_at, updated_at, expires_at";
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;
  private final CursorCodec cursors;
  private final ConsistencyTokens tokens;
  private final ReadModelWait readModel;
  private final RowMapper<MandateResponse> rows = this::map;

  MandateQueryController(
      JdbcTemplate jdbc,
      ObjectMapper json,
      CursorCodec cursors,
      ConsistencyTokens tokens,
      ReadModelWait readModel) {
    this.jdbc = jdbc;
    this.json = json;
    this.cursors = cursors;
    this.tokens = tokens;
    this.readModel = readModel;
  }

  /**
   * The {@code status} filter exactly as one of the statuses is named: Spring's own conversion
   * trims first ({@code SUSPENDED%00} was SUSPENDED) and takes an empty value for no filter.
   */
  private static MandateStatus status(String name) {
    for (MandateStatus status : MandateStatus.values()) {
      if (status.name().equals(name)) {
        return status;
      }
    }
    String allowed = Arrays.stream(MandateStatus.values()).map(Enum::name).collect(Collectors.joining(", "));
    throw ApiException.badRequest(
        "invalid value for status",
        new ErrorDetail(ErrorDetail.excerpt(name), "must be one of " + allowed, "status", "query"));
  }

  /** The body of {@code GET /v1/mandates}. */
  record MandateList(List<MandateResponse> mandates, Pagination pagination) {}

  @GetMapping("/v1/mandates")
  MandateList list(
      Caller caller,
      @RequestParam(value = "status", required = false) String statusName,
      @RequestParam(value = "limit", required = false) String limit,
      @RequestParam(value = "cursor", required = false) String cursor,
      @RequestHeader(value = ConsistencyTokens.HEADER, required = false) String token) {
    MandateStatus status = statusName == null ? null : status(statusName);
    String scope = "mandates:" + caller.tenantId() + ":" + (status == null ? "" : status.name());
    PageRequest page = PageRequest.of(limit, cursor, cursors, scope);
    awaitToken(caller, token);
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM mandate_view WHERE tenant_id = ?");
    List<Object> args = new ArrayList<>(List.of(caller.tenantId()));
    if (status != null) {
      sql.append(" AND status = ?");
      args.add(status.name());
    }
    if (page.after() != null) {
      sql.append(" AND mandate_id < ?");
      args.add(page.after());
    }
    sql.append(" ORDER BY mandate_id DESC LIMIT ?");
    args.add(page.limit() + 1);
    List<MandateResponse> found = jdbc.query(sql.toString(), rows, args.toArray());
    boolean more = found.size() > page.limit();
    List<MandateResponse> items = more ? found.subList(0, page.limit()) : found;
    String next = more ? cursors.encode(scope, items.get(items.size() - 1).mandateId()) : null;
    return new MandateList(List.copyOf(items), new Pagination(next, more));
  }

  @GetMapping("/v1/mandates/{id}")
  ResponseEntity<MandateResponse> get(
      Caller caller,
      @PathVariable("id") String id,
      @RequestHeader(value = ConsistencyTokens.HEADER, required = false) String token) {
    if (!Ids.isValid(Ids.MANDATE, id)) {
      throw ApiException.notFound("mandate", id); // at once: no write can make such an id exist
    }
    awaitToken(caller, token);
    List<MandateResponse> found =
        jdbc.query(
            "SELECT " + COLUMNS + " FROM mandate_view WHERE mandate_id = ? AND tenant_id = ?",
            rows,
            id,
            caller.tenantId());
    if (found.isEmpty()) {
      throw ApiException.notFound("mandate", id);
    }
    MandateResponse mandate = found.get(0);
    return ResponseEntity.ok().eTag("\"" + mandate.version() + "\"").body(mandate);
  }

  /** Waits for the read model to reach the write of {@code token}, if there is one; else nothing. */
  private void awaitToken(Caller caller, String token) {
    if (token != null) {
      readModel.awaitAtLeast(caller.tenantId(), tokens.read(caller.tenantId(), token));
    }
  }

  private MandateResponse map(ResultSet rs, int row) throws SQLException {
    try {
      return new MandateResponse(
          rs.getString("mandate_id"),
          rs.getString("tenant_id"),
          rs.getLong("version"),
          MandateStatus.valueOf(rs.getString("status")),
          new MandateResponse.SubjectBody(
              rs.getString("principal_type"), rs.getString("principal_subject_id")),
          new MandateResponse.SubjectBody(
              rs.getString("delegate_type"), rs.getString("delegate_subject_id")),
          json.readValue(rs.getString("scope"), MandateResponse.ScopeBody.class),
          json.readValue(rs.getString("constraints"), MAP),
          null,
          json.readValue(rs.getString("metadata"), MAP),
          instant(rs.getTimestamp("created_at")),
          instant(rs.getTimestamp("updated_at")),
          instant(rs.getTimestamp("expires_at")));
    } catch (IOException e) {
      throw new SQLException("corrupt JSON in mandate_view row " + rs.getString("mandate_id"), e);
    }
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }
}
