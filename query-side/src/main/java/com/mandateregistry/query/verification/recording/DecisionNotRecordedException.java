package com.mandateregistry.query.verification.recording;

/** A decision's events could not be stored, so the decision must not be returned. */
public class DecisionNotRecordedException extends RuntimeException {

  public DecisionNotRecordedException(String message, Throwable cause) {
    super(message, cause);
  }
}
