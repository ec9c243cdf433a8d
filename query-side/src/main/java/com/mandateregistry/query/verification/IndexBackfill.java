package com.mandateregistry.query.verification;

/**
 * Whether the topic the verification index reads already holds every change stored before this
 * node started, and the index has read that far. The application provides it where it knows the
 * topics (a deployment upgraded to the changes topic back-fills it on its first start: ADR 0005);
 * without one, the index is ready once its processor has caught up with its topic.
 */
@FunctionalInterface
public interface IndexBackfill {

  /** True once the index has read every change stored before the start; asked until it says so. */
  boolean indexHasReadAllChanges();
}
