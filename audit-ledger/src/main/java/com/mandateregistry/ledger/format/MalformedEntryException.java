package com.mandateregistry.ledger.format;

/** A JSON value that is not a well-formed ledger entry (or entry part) of format v1. */
public class MalformedEntryException extends Exception {

  public MalformedEntryException(String message) {
    super(message);
  }

  public MalformedEntryException(String message, Throwable cause) {
    super(message, cause);
  }
}
