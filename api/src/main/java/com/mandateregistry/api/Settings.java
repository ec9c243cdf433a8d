package com.mandateregistry.api;

import java.time.Duration;

/**
 * Checks of configuration values, made where each module reads its settings, so that a bad value
 * stops the start with a message naming the property instead of failing later, obscurely, or not
 * at all (a group commit of zero, a retry loop without a pause).
 */
public final class Settings {

  private Settings() {}

  /**
   * {@code value} if it is at least {@code min}.
   *
   * @throws IllegalArgumentException naming {@code property} otherwise
   */
  public static int atLeast(String property, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(property + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /**
   * {@code value} if it is longer than zero.
   *
   * @throws IllegalArgumentException naming {@code property} otherwise
   */
  public static Duration positive(String property, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(property + " must be longer than zero, got " + value);
    }
    return value;
  }

  /**
   * {@code value} if it is zero or longer.
   *
   * @throws IllegalArgumentException naming {@code property} otherwise
   */
  public static Duration notNegative(String property, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(property + " must not be negative, got " + value);
    }
    return value;
  }
}
