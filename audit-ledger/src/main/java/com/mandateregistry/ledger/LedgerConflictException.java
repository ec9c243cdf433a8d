package com.mandateregistry.ledger;

/**
 * An event id is already in the ledger with other content (another tenant, type, time, actor or
 * details). Redelivering the same event is not a conflict: it returns the stored entry.
 */
public class LedgerConflictException extends IllegalStateException {

  public LedgerConflictException(String message) {
    super(message);
  }
}
