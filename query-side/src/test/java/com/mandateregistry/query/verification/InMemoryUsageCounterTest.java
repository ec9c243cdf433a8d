package com.mandateregistry.query.verification;

/** The usage-counter contract, run by the test-only in-memory counter. */
class InMemoryUsageCounterTest extends UsageCounterContractTest {

  @Override
  protected UsageCounter newCounter() {
    return new InMemoryUsageCounter();
  }
}
