package com.mandateregistry.command.mandate;

/** No mandate with this id exists for the caller's tenant. */
public class MandateNotFoundException extends RuntimeException {

  private final String mandateId;

  public MandateNotFoundException(String mandateId) {
    super("mandate " + mandateId + " not found");
    this.mandateId = mandateId;
  }

  public String mandateId() {
    return mandateId;
  }
}
