package com.mandateregistry.infra.it;

import com.mandateregistry.query.verification.UsageCounter;
import com.mandateregistry.query.verification.UsageCounterContractTest;

/**
 * The {@link UsageCounter} contract (consume all or nothing, atomically, and give back) run against
 * the production counter on PostgreSQL: the service's own bean, on the shared test application's
 * database, with the contract's two mandates' rows removed before each test.
 */
class PostgresUsageCounterIT extends UsageCounterContractTest {

  @Override
  protected UsageCounter newCounter() {
    TestApp app = TestApp.shared();
    app.jdbc().update("DELETE FROM constraint_usage WHERE mandate_id IN (?, ?)", MANDATE, OTHER);
    return app.bean(UsageCounter.class);
  }
}
