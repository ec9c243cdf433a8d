package com.mandateregistry.ledger.projection;

/**
 * A batch of the ledger gave up waiting for its signer inside the processor's transaction: the
 * transaction rolls back, and the processor retries the batch from its stored token after its own
 * back-off, outside any transaction. Nothing is skipped.
 */
public class SignerUnavailableException extends RuntimeException {

  public SignerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
