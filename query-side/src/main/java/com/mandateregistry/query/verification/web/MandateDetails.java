package com.mandateregistry.query.verification.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mandateregistry.api.web.ApiException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a Proof-of-Mandate states about the mandate beyond the index (principal and constraints as
 * granted), read from the query side's own {@code mandate_view}; only read when a proof is asked for.
 */
@Component
class MandateDetails {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;

  MandateDetails(JdbcTemplate jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The principal ({@code type}, {@code subject_id}) and the granted constraints. */
  record Granted(Map<String, Object> principal, Map<String, Object> constraints) {}

  Granted granted(String tenantId, String mandateId) {
    List<Granted> rows =
        jdbc.query(
            "SELECT principal_type, principal_subject_id, constraints::text AS constraints"
                + " FROM mandate_view WHERE mandate_id = ? AND tenant_id = ?",
            (rs, n) -> {
              Map<String, Object> principal = new LinkedHashMap<>();
              principal.put("type", rs.getString("principal_type"));
              principal.put("subject_id", rs.getString("principal_subject_id"));
              try {
                return new Granted(principal, json.readValue(rs.getString("constraints"), MAP));
              } catch (IOException e) {
                throw new IllegalStateException("corrupt constraints of mandate " + mandateId, e);
              }
            },
            mandateId,
            tenantId);
    if (rows.isEmpty()) {
      // the index knew the mandate before the read model did: a proof must wait for it
      throw new ApiException(503, "SERVICE_UNAVAILABLE",
          "the mandate is not yet readable for a Proof-of-Mandate; retry", List.of());
    }
    return rows.get(0);
  }
}
