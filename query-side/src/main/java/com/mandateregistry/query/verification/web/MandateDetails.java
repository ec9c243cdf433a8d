package com.mandateregistry.query.verification.web;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mandateregistry.api.mandate.constraints.Amounts;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.query.mandate.ReadModelWait;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What a Proof-of-Mandate states about the mandate beyond the index (principal and constraints as
 * granted), read from the query side's own {@code mandate_view}; only read when a proof is asked for.
 *
 * <p>Both are fixed when the mandate is created (no event changes them), so what was read once is
 * kept in a bounded in-memory cache ({@code mandate-registry.proof.details-cache-size} mandates,
 * least recently used out first; 0 turns it off) and later proofs for the mandate need no database
 * read. A mandate not yet in {@code mandate_view} is never cached: {@link #granted} throws {@link
 * NotYetReadable}, and the verification, having given back what it consumed, waits for the read
 * model ({@link #awaitReadable}) and decides again.
 */
@Component
class MandateDetails {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final JdbcTemplate jdbc;
  private final ObjectMapper json;
  private final ReadModelWait readModel;
  private final Cache<String, Granted> cache;

  MandateDetails(
      JdbcTemplate jdbc,
      ObjectMapper json,
      ReadModelWait readModel,
      @Value("${mandate-registry.proof.details-cache-size:100000}") long cacheSize) {
    if (cacheSize < 0) {
      throw new IllegalArgumentException(
          "mandate-registry.proof.details-cache-size must be 0 or more, not " + cacheSize);
    }
    this.jdbc = jdbc;
    this.json = json;
    this.readModel = readModel;
    this.cache = cacheSize == 0 ? null : Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  /** The principal ({@code type}, {@code subject_id}) and the granted constraints; both unmodifiable. */
  record Granted(Map<String, Object> principal, Map<String, Object> constraints) {}

  Granted granted(String tenantId, String mandateId) {
    if (cache == null) {
      return read(tenantId, mandateId);
    }
    // the tenant is part of the key: another tenant naming this mandate id never sees its details
    String key = tenantId + '\u0000' + mandateId;
    Granted known = cache.getIfPresent(key);
    if (known != null) {
      return known;
    }
    Granted read = read(tenantId, mandateId);
    cache.put(key, read);
    return read;
  }

  /** The amount constraints whose {@code amount} a credential writes as a JSON number. */
  private static final List<String> AMOUNT_CONSTRAINTS = List.of("max_amount", "budget", "escalation_threshold");

  /**
   * The constraints as granted, but every amount a normalised JSON number: a grant may have sent
   * {@code "1000.50"} (a string) and the Proof-of-Mandate promises numbers (proof-of-mandate.md §4).
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> numericAmounts(Map<String, Object> constraints) {
    Map<String, Object> result = new LinkedHashMap<>(constraints);
    for (String name : AMOUNT_CONSTRAINTS) {
      if (result.get(name) instanceof Map<?, ?> money && money.get("amount") != null) {
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) money);
        copy.put("amount", Amounts.parse(money.get("amount")));
        result.put(name, Collections.unmodifiableMap(copy));
      }
    }
    return Collections.unmodifiableMap(result);
  }

  private Granted read(String tenantId, String mandateId) {
    List<Granted> rows = query(tenantId, mandateId);
    if (rows.isEmpty()) {
      // the index knew the mandate before the read model did, which follows within milliseconds
      throw new NotYetReadable(mandateId);
    }
    return rows.get(0);
  }

  /**
   * Waits until the read model holds {@code mandateId} ({@link ReadModelWait}, up to {@code
   * mandate-registry.reads.consistency-wait}); for a caller that holds nothing meanwhile.
   *
   * @throws NotYetReadable if it does not in time, or too many requests wait already
   */
  void awaitReadable(String tenantId, String mandateId) {
    if (readModel.await(tenantId, mandateId, 0) != ReadModelWait.Outcome.HELD) {
      throw new NotYetReadable(mandateId);
    }
  }

  /** The mandate is not (yet) in the read model: a 503 to retry, unless the caller waits first. */
  static final class NotYetReadable extends ApiException {

    private final transient String mandateId;

    NotYetReadable(String mandateId) {
      super(503, "SERVICE_UNAVAILABLE", "the mandate is not yet readable for a Proof-of-Mandate; retry",
          List.of());
      this.mandateId = mandateId;
    }

    String mandateId() {
      return mandateId;
    }
  }

  private List<Granted> query(String tenantId, String mandateId) {
    return jdbc.query(
        "SELECT principal_type, principal_subject_id, constraints::text AS constraints"
            + " FROM mandate_view WHERE mandate_id = ? AND tenant_id = ?",
        (rs, n) -> {
          Map<String, Object> principal = new LinkedHashMap<>();
          principal.put("type", rs.getString("principal_type"));
          principal.put("subject_id", rs.getString("principal_subject_id"));
          try {
            return new Granted(
                Collections.unmodifiableMap(principal),
                numericAmounts(json.readValue(rs.getString("constraints"), MAP)));
          } catch (IOException e) {
            throw new IllegalStateException("corrupt constraints of mandate " + mandateId, e);
          }
        },
        mandateId,
        tenantId);
  }
}
