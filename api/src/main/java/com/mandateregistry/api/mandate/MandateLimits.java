package com.mandateregistry.api.mandate;

/**
 * How large the parts of a mandate may be ({@code POST /v1/mandates}; a larger one is 400).
 *
 * <p>Together they bound a mandate's largest event, whatever {@code max-body-size} allows: with
 * every part at its limit a {@code MANDATE_CREATED} event is about 215 KB, below the 1 MiB a
 * Kafka record may have by default. An event larger than the topic takes would stop its publisher
 * for every tenant, since a publisher must not skip an event.
 */
public final class MandateLimits {

  /** {@code principal.type}, {@code delegate.type}: characters. */
  public static final int SUBJECT_TYPE_LENGTH = 64;

  /** {@code principal.subject_id}, {@code delegate.subject_id}: characters. */
  public static final int SUBJECT_ID_LENGTH = 512;

  /** {@code scope.actions}: items. */
  public static final int ACTIONS = 100;

  /** One action pattern: characters. */
  public static final int ACTION_LENGTH = 256;

  /** {@code scope.resources}: items. */
  public static final int RESOURCES = 100;

  /** One resource pattern: characters. */
  public static final int RESOURCE_LENGTH = 512;

  /** {@code constraints}, {@code metadata}: top-level keys each. */
  public static final int KEYS = 50;

  /**
   * {@code constraints}, {@code metadata}: bytes each, written as compact UTF-8 JSON (no white
   * space outside strings; characters other than {@code "}, {@code \} and control characters
   * unescaped).
   */
  public static final int JSON_BYTES = 16_384;

  /**
   * {@code constraints}, {@code metadata}: levels of nesting each, the object itself being the
   * first. Far below what any JSON reader takes (Jackson's 1,000, also the reference ledger
   * verifier's), so that a mandate's audit entry, which nests them a few levels deeper, stays
   * readable by every reader of the trail and its exports.
   */
  public static final int JSON_DEPTH = 32;

  /** The {@code reason} of a revoke or suspend: characters. */
  public static final int REASON_LENGTH = 1000;

  private MandateLimits() {}
}
