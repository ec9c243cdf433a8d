package com.mandateregistry.api;

/**
 * An event that belongs to one tenant. The Kafka publisher keys records by {@link #tenantId()}, so a
 * tenant's events stay in order, and the audit ledger appends them to that tenant's chain.
 */
public interface TenantEvent {

  String tenantId();
}
