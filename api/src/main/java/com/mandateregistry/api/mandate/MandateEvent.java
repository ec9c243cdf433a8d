package com.mandateregistry.api.mandate;

import com.mandateregistry.api.TenantEvent;

/**
 * An event about one mandate; the audit ledger records its id as the entry's {@code mandate_id}.
 * A verification event that matched no mandate returns null.
 */
public interface MandateEvent extends TenantEvent {

  String mandateId();
}
