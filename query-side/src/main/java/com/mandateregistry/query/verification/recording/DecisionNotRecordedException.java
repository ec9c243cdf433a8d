package com.mandateregistry.query.verification.recording;

/**
 * A decision's events could not be stored in time, so the decision must not be returned.
 *
 * <p>{@link #certainlyNotStored()} tells the two cases apart: the events were never handed to a
 * transaction, or their transaction rolled back (they are not stored and never will be); or the
 * outcome is unknown (a commit that failed without saying whether it took effect, a wait that ended
 * while the writer had them), so they may still be stored.
 */
public class DecisionNotRecordedException extends RuntimeException {

  private final boolean certainlyNotStored;

  public DecisionNotRecordedException(String message, Throwable cause, boolean certainlyNotStored) {
    super(message, cause);
    this.certainlyNotStored = certainlyNotStored;
  }

  /** Whether the events are certainly not stored, now or later. */
  public boolean certainlyNotStored() {
    return certainlyNotStored;
  }
}
