package com.mandateregistry.command.mandate;

import com.mandateregistry.api.mandate.MandateStatus;

/** The lifecycle rules forbid this transition from the mandate's current state. */
public class IllegalTransitionException extends RuntimeException {

  private final MandateStatus current;

  public IllegalTransitionException(String mandateId, String action, MandateStatus current) {
    super("cannot " + action + " mandate " + mandateId + ": it is " + current);
    this.current = current;
  }

  public MandateStatus current() {
    return current;
  }
}
