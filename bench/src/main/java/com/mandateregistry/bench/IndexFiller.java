package com.mandateregistry.bench;

import com.mandateregistry.api.Ids;
import com.mandateregistry.api.mandate.Effect;
import com.mandateregistry.api.mandate.MandateStatus;
import com.mandateregistry.bench.workload.Workload;
import com.mandateregistry.query.verification.MandateSnapshot;
import com.mandateregistry.query.verification.index.VerificationIndex;
import java.io.StringReader;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * Fills the rest of the index directly, as the index projection would from {@code
 * MandateCreatedEvent}s: {@link VerificationIndex#put} of {@link MandateSnapshot#of}, with fresh
 * strings, instants and constraint maps per mandate (as Jackson gives the projection for each event,
 * so the heap measured is the real one), and the {@code mandate_authority} rows an ALLOW reads
 * (COPY, in batches). No event, no {@code mandate_view} row, no ledger entry: these mandates cannot
 * back a Proof-of-Mandate (which reads {@code mandate_view}), so the proof scenario uses the mandates
 * made through the real path.
 */
final class IndexFiller {

  private static final int COPY_BATCH = 50_000;

  private final Workload workload;
  private final InfraBeans.Tenant[] tenants;
  private final VerificationIndex index;
  private final DataSource dataSource;

  IndexFiller(Workload workload, InfraBeans.Tenant[] tenants, VerificationIndex index, DataSource dataSource) {
    this.workload = workload;
    this.tenants = tenants;
    this.index = index;
    this.dataSource = dataSource;
  }

  /** What {@link #fill} did. */
  record Filled(int mandates, long authorityRows, long denyRows, double indexSeconds, double copySeconds) {}

  /**
   * Puts mandates {@code from} to {@code to} into the index, and COPYs their authority rows into
   * {@code mandate_authority}, and those of the DENY mandates into {@code deny_mandate} (as {@code
   * MandateAuthorityProjection} writes them for a created mandate), every {@value #COPY_BATCH}
   * mandates (so nothing but the index stays on the heap). The time of each part is measured apart.
   */
  Filled fill(int from, int to) throws Exception {
    long rows = 0;
    long denyRows = 0;
    long copyNanos = 0;
    long start = System.nanoTime();
    try (Connection c = dataSource.getConnection()) {
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      StringBuilder csv = new StringBuilder(COPY_BATCH * 80);
      StringBuilder denyCsv = new StringBuilder(COPY_BATCH * 12);
      for (int k = from; k < to; k++) {
        Workload.MandateDef m = workload.mandate(k);
        String mandateId = Ids.next(Ids.MANDATE);
        String tenantId = new String(tenants[m.tenant()].id());
        index.put(
            MandateSnapshot.of(
                mandateId,
                tenantId,
                0L,
                MandateStatus.ACTIVE,
                new String(m.delegate()),
                Effect.valueOf(m.effect()),
                copy(m.actions()),
                copy(m.resources()),
                constraints(m.constraints()),
                Instant.now(),
                Instant.parse(Workload.EXPIRES_AT)));
        csv.append(mandateId).append(',').append(tenantId).append(",ACTIVE,0\n");
        if (m.effect().equals("DENY")) {
          denyCsv.append(mandateId).append(',').append(tenantId).append(',').append(m.delegate()).append('\n');
        }
        if ((k - from + 1) % COPY_BATCH == 0 || k == to - 1) {
          long copyStart = System.nanoTime();
          rows += copy.copyIn(
              "COPY mandate_authority (mandate_id, tenant_id, status, version) FROM STDIN WITH (FORMAT csv)",
              new StringReader(csv.toString()));
          denyRows += copy.copyIn(
              "COPY deny_mandate (mandate_id, tenant_id, delegate_subject_id) FROM STDIN WITH (FORMAT csv)",
              new StringReader(denyCsv.toString()));
          copyNanos += System.nanoTime() - copyStart;
          csv.setLength(0);
          denyCsv.setLength(0);
        }
      }
    }
    double total = (System.nanoTime() - start) / 1e9;
    return new Filled(to - from, rows, denyRows, total - copyNanos / 1e9, copyNanos / 1e9);
  }

  private static List<String> copy(List<String> values) {
    List<String> copied = new ArrayList<>(values.size());
    for (String v : values) {
      copied.add(new String(v));
    }
    return copied;
  }

  /** As Jackson would deliver {@code {"max_amount": {"amount": 5000, "currency": "EUR"}}}. */
  private static Map<String, Object> constraints(Map<String, Object> given) {
    if (given == null) {
      return new LinkedHashMap<>();
    }
    Map<String, Object> money = new LinkedHashMap<>();
    money.put("amount", Integer.valueOf(Workload.MAX_AMOUNT));
    money.put("currency", new String("EUR"));
    Map<String, Object> constraints = new LinkedHashMap<>();
    constraints.put("max_amount", money);
    return constraints;
  }
}
