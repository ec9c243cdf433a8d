package com.mandateregistry.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerEntryCodec;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.UnsignedEntry;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An event to append to its tenant's chain: what the caller knows about the event. The ledger adds
 * the chain fields (sequence, previous_event_hash, key and algorithms), the hash and the signature.
 *
 * <p>The constructor normalises: {@code timestamp} is truncated to the millisecond, {@code actor}
 * and {@code details} become RFC 8785 canonical JSON text. Invalid input throws {@link
 * IllegalArgumentException}.
 *
 * @param eventId the event's id, for example {@code evt_01J…}; the ledger's idempotency key
 * @param tenantId the tenant whose chain receives the entry
 * @param mandateId the mandate concerned, or {@code null}
 * @param eventType upper-case, [A-Z][A-Z0-9_]*, for example {@code MANDATE_SUSPENDED}
 * @param timestamp when the event happened (use the event message's timestamp, not the clock)
 * @param actor JSON object text, for example {@code {"type":"api_key","id":"key_…"}}
 * @param details JSON object text
 */
public record PendingEntry(
    String eventId,
    String tenantId,
    String mandateId,
    String eventType,
    Instant timestamp,
    String actor,
    String details) {

  public PendingEntry {
    Objects.requireNonNull(timestamp, "timestamp");
    timestamp = LedgerFormat.truncate(timestamp);
    actor = LedgerEntryCodec.canonicalObject(Objects.requireNonNull(actor, "actor"));
    details = LedgerEntryCodec.canonicalObject(Objects.requireNonNull(details, "details"));
    // checks the remaining fields with the rules of a stored entry
    new UnsignedEntry(1, eventId, tenantId, mandateId, eventType, timestamp, actor, details,
        LedgerFormat.GENESIS_HASH, "-", "-", "-");
  }

  /** As the canonical constructor, with actor and details given as maps (serialised with Jackson). */
  public static PendingEntry of(
      String eventId,
      String tenantId,
      String mandateId,
      String eventType,
      Instant timestamp,
      Map<String, ?> actor,
      Map<String, ?> details) {
    try {
      return new PendingEntry(eventId, tenantId, mandateId, eventType, timestamp,
          LedgerJson.mapper().writeValueAsString(Objects.requireNonNull(actor, "actor")),
          LedgerJson.mapper().writeValueAsString(Objects.requireNonNull(details, "details")));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("actor or details cannot be written as JSON", e);
    }
  }

  /** Whether {@code entry} records this very event (same id, tenant and content). */
  public boolean isRecordedBy(LedgerEntry entry) {
    return eventId.equals(entry.eventId())
        && tenantId.equals(entry.tenantId())
        && Objects.equals(mandateId, entry.mandateId())
        && eventType.equals(entry.eventType())
        && timestamp.equals(entry.timestamp())
        && actor.equals(entry.actor())
        && details.equals(entry.details());
  }
}
