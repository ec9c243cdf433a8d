package com.mandateregistry.query.verification;

/**
 * A verification request that is malformed; the controller answers 400 with a detail naming
 * {@link #param()}.
 */
public class InvalidVerificationRequestException extends IllegalArgumentException {

  private final String param;
  private final transient Object value;

  /**
   * @param param the JSON path of the offending field, for example {@code context.amount}
   * @param value the offending value, or null when it was missing
   * @param message what is wrong, without the path
   */
  public InvalidVerificationRequestException(String param, Object value, String message) {
    super(param + ": " + message);
    this.param = param;
    this.value = value;
  }

  /** The JSON path of the offending field: {@code delegate_subject_id}, {@code action}, … */
  public String param() {
    return param;
  }

  /** The offending value as given, or null when it was missing. */
  public Object value() {
    return value;
  }

  /** What is wrong, without the path. */
  public String reason() {
    return getMessage().substring(param.length() + 2);
  }
}
