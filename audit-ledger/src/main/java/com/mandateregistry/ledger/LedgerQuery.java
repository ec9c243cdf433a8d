package com.mandateregistry.ledger;

import java.util.Objects;

/**
 * A page request over one tenant's entries, in ascending sequence, after {@code afterSequence}
 * (keyset pagination; 0 = from the start), optionally narrowed to one mandate and/or event type.
 *
 * @param tenantId required
 * @param mandateId {@code null} for all
 * @param eventType {@code null} for all
 * @param afterSequence only entries with a greater sequence, at least 0
 * @param limit page size, 1..1000
 */
public record LedgerQuery(
    String tenantId, String mandateId, String eventType, long afterSequence, int limit) {

  public LedgerQuery {
    Objects.requireNonNull(tenantId, "tenantId");
    if (afterSequence < 0) {
      throw new IllegalArgumentException("afterSequence is at least 0");
    }
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit is 1..1000");
    }
  }

  public static LedgerQuery tenant(String tenantId, long afterSequence, int limit) {
    return new LedgerQuery(tenantId, null, null, afterSequence, limit);
  }

  public static LedgerQuery mandate(String tenantId, String mandateId, long afterSequence, int limit) {
    return new LedgerQuery(tenantId, Objects.requireNonNull(mandateId, "mandateId"), null, afterSequence, limit);
  }

  public static LedgerQuery eventType(String tenantId, String eventType, long afterSequence, int limit) {
    return new LedgerQuery(tenantId, null, Objects.requireNonNull(eventType, "eventType"), afterSequence, limit);
  }
}
