package com.mandateregistry.ledger.verify;

import java.util.Objects;

/**
 * The first broken entry of a trail.
 *
 * @param kind what is wrong
 * @param sequence the entry's sequence number as written in the trail, or {@code null} if it could
 *     not be read (and for a failure about the whole trail, the last entry's)
 * @param eventId the entry's event id, or {@code null} if it could not be read
 * @param line the 1-based line of the export file (line 1 is the header), 0 if none
 * @param detail what exactly differs, for example "event_hash is 7f…, recomputed 1c…"
 */
public record Failure(FailureKind kind, Long sequence, String eventId, long line, String detail) {

  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** One line: "sequence 42, event evt_…, line 43: hash mismatch: …". */
  public String describe() {
    return "sequence " + (sequence == null ? "?" : sequence)
        + ", event " + (eventId == null ? "?" : eventId)
        + ", line " + line
        + ": " + kind.label() + ": " + detail;
  }
}
