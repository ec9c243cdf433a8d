package com.mandateregistry.api.mandate.constraints;

/**
 * A mandate's {@code constraints} object is invalid: an unknown key, a value of the wrong type or
 * out of range. The REST layer turns it into a 400 whose detail names {@link #param()}.
 */
public class InvalidConstraintsException extends IllegalArgumentException {

  private final String param;
  private final transient Object value;

  /**
   * @param param the JSON path of the offending value, for example {@code
   *     constraints.rate_limit.max_uses}
   * @param value the offending value, or null when it was missing
   * @param message what is wrong, without the path
   */
  public InvalidConstraintsException(String param, Object value, String message) {
    super(param + ": " + message);
    this.param = param;
    this.value = value;
  }

  /** The JSON path of the offending value, for example {@code constraints.budget.currency}. */
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
