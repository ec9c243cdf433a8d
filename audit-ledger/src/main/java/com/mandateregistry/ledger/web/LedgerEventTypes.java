package com.mandateregistry.ledger.web;

import java.util.List;

/** The {@code event_type} values the ledger holds and {@code GET /v1/events?event_type=} accepts. */
final class LedgerEventTypes {

  /** 004's enumeration first, then the other events of the product. */
  static final List<String> ALL =
      List.of(
          "MANDATE_CREATED",
          "MANDATE_SUSPENDED",
          "MANDATE_REACTIVATED",
          "MANDATE_REVOKED",
          "VERIFICATION_ALLOWED",
          "VERIFICATION_DENIED",
          "ESCALATION_TRIGGERED",
          "MANDATE_EXPIRED",
          "MANDATE_APPROVED",
          "TENANT_REGISTERED",
          "API_KEY_ISSUED");

  private LedgerEventTypes() {}
}
