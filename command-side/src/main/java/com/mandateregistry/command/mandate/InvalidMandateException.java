package com.mandateregistry.command.mandate;

/** A create command whose content breaks a rule that only the aggregate can check. */
public class InvalidMandateException extends RuntimeException {

  public InvalidMandateException(String message) {
    super(message);
  }
}
