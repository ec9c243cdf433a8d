package com.mandateregistry.ledger;

import com.mandateregistry.ledger.format.LedgerFormat;
import java.util.Objects;

/**
 * The last entry of a tenant's chain: its sequence and event_hash; sequence 0 with the genesis hash
 * for an empty chain. Column names: {@code ledger_chain_head(tenant_id, sequence, event_hash)}.
 */
public record ChainHead(String tenantId, long sequence, String eventHash) {

  public ChainHead {
    Objects.requireNonNull(tenantId, "tenantId");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence is at least 0");
    }
    if (!LedgerFormat.isHash(eventHash)) {
      throw new IllegalArgumentException("eventHash is not 64 lowercase hex characters");
    }
  }

  /** The head of an empty chain. */
  public static ChainHead empty(String tenantId) {
    return new ChainHead(tenantId, 0, LedgerFormat.GENESIS_HASH);
  }
}
