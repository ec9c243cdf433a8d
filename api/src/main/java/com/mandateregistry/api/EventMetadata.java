package com.mandateregistry.api;

/**
 * Keys of the metadata that every stored event carries. Axon copies them from the command that
 * caused the event onto the event.
 */
public final class EventMetadata {

  /** The tenant the event belongs to. */
  public static final String TENANT_ID = "tenant_id";
  /** What kind of credential issued the command: {@code api_key}, {@code system}, … */
  public static final String ACTOR_TYPE = "actor_type";
  /** The id of the credential (an API key id) or of the system component that acted. */
  public static final String ACTOR_ID = "actor_id";
  /** Correlates everything caused by one request; echoed from {@code X-Request-ID} when given. */
  public static final String CORRELATION_ID = "correlation_id";
  /** When the command was issued, as an ISO 8601 instant. */
  public static final String ISSUED_AT = "issued_at";

  public static final String[] ALL = {TENANT_ID, ACTOR_TYPE, ACTOR_ID, CORRELATION_ID, ISSUED_AT};

  private EventMetadata() {}
}
