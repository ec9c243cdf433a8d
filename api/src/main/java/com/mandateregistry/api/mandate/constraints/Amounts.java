package com.mandateregistry.api.mandate.constraints;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * Monetary amounts and currency codes, as constraints and verification contexts carry them.
 *
 * <p>An amount is a JSON number or a numeric string ({@code "12.50"}), at least 0, below
 * 10<sup>18</sup>, with at most 6 decimal places (trailing zeros do not count). It is normalised
 * so that it prints plainly ({@code 1E+3} becomes {@code 1000}). A currency is an ISO 4217 code:
 * three upper-case letters (the format is checked, not the list of codes in use).
 */
public final class Amounts {

  /** The most decimal places an amount may have. */
  public static final int MAX_SCALE = 6;

  /** The most digits before the decimal point. */
  public static final int MAX_INTEGER_DIGITS = 18;

  private static final Pattern NUMERIC = Pattern.compile("-?[0-9]{1,40}(\\.[0-9]{1,40})?");

  private Amounts() {}

  /**
   * Reads an amount as Jackson delivers it (Integer, Long, BigInteger, BigDecimal, Double, Float,
   * or a String of digits with an optional fraction).
   *
   * @throws IllegalArgumentException whose message says what is wrong (without a parameter name)
   */
  public static BigDecimal parse(Object value) {
    BigDecimal amount;
    if (value instanceof BigDecimal decimal) {
      amount = decimal;
    } else if (value instanceof Integer || value instanceof Long
        || value instanceof Short || value instanceof Byte) {
      amount = BigDecimal.valueOf(((Number) value).longValue());
    } else if (value instanceof BigInteger integer) {
      amount = new BigDecimal(integer);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("must be a finite number");
      }
      amount = BigDecimal.valueOf(d);
    } else if (value instanceof String text) {
      if (!NUMERIC.matcher(text).matches()) {
        throw new IllegalArgumentException(
            "must be a number or a numeric string such as \"12.50\"");
      }
      amount = new BigDecimal(text);
    } else {
      throw new IllegalArgumentException("must be a number or a numeric string such as \"12.50\"");
    }
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("must not be negative");
    }
    // in long: precision - scale overflows int for an exponent near Integer.MIN_VALUE (1E2147483647)
    if (amount.signum() > 0 && (long) amount.precision() - amount.scale() > MAX_INTEGER_DIGITS) {
      throw new IllegalArgumentException("must be less than 10^" + MAX_INTEGER_DIGITS);
    }
    return normalise(amount);
  }

  /** Whether {@code currency} is three upper-case ASCII letters. */
  public static boolean isCurrency(Object currency) {
    if (!(currency instanceof String code) || code.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = code.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  /**
   * Strips trailing zeros, refuses more than {@link #MAX_SCALE} decimals, and never leaves a
   * negative scale (so that the amount prints without an exponent).
   */
  static BigDecimal normalise(BigDecimal amount) {
    BigDecimal stripped = amount.stripTrailingZeros();
    if (stripped.scale() > MAX_SCALE) {
      throw new IllegalArgumentException(
          "must have at most " + MAX_SCALE + " decimal places");
    }
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
