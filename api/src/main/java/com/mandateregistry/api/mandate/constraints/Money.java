package com.mandateregistry.api.mandate.constraints;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount in a currency, as the amount constraints state it.
 *
 * @param amount at least 0, at most 6 decimal places, normalised (see {@link Amounts})
 * @param currency an ISO 4217 code, three upper-case letters
 */
public record Money(BigDecimal amount, String currency) {

  public Money {
    Objects.requireNonNull(amount, "amount");
    amount = Amounts.parse(amount);
    if (!Amounts.isCurrency(currency)) {
      throw new IllegalArgumentException("currency must be three upper-case letters");
    }
  }

  @Override
  public String toString() {
    return amount.toPlainString() + " " + currency;
  }
}
