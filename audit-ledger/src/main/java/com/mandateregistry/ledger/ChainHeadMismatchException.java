package com.mandateregistry.ledger;

/**
 * A tenant chain recomputed from storage does not agree with itself or with its stored head. The
 * message reads "chain head mismatch for tenant X at sequence N: got …, want …".
 */
public class ChainHeadMismatchException extends IllegalStateException {

  private final String tenantId;
  private final long sequence;

  public ChainHeadMismatchException(String tenantId, long sequence, String got, String want) {
    super("chain head mismatch for tenant " + tenantId + " at sequence " + sequence
        + ": got " + got + ", want " + want);
    this.tenantId = tenantId;
    this.sequence = sequence;
  }

  public String tenantId() {
    return tenantId;
  }

  public long sequence() {
    return sequence;
  }
}
