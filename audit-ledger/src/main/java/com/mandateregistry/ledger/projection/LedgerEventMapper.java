package com.mandateregistry.ledger.projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mandateregistry.api.EventMetadata;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.TenantEvent;
import com.mandateregistry.api.mandate.MandateEvent;
import com.mandateregistry.ledger.PendingEntry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.axonframework.eventhandling.EventMessage;

/**
 * Turns an event of the stream into the entry the ledger appends, the same way on every node and
 * in every replay (so that replays give byte-identical hashes):
 *
 * <ul>
 *   <li>{@code event_id}: {@link Ids#eventId} of the event message's identifier and timestamp;
 *   <li>{@code event_type}: the payload's class name without {@code Event}, in upper snake case
 *       ({@code MandateCreatedEvent} → {@code MANDATE_CREATED}, {@code ApiKeyIssuedEvent} → {@code
 *       API_KEY_ISSUED}), so a new event type needs no change here;
 *   <li>{@code mandate_id}: for a {@link MandateEvent}, its mandate; otherwise null;
 *   <li>{@code timestamp}: the event message's own timestamp (not the time of appending);
 *   <li>{@code actor}: {@code {"type": actor_type, "id": actor_id}} from the event's metadata;
 *   <li>{@code details}: the payload's fields in snake_case without {@code tenant_id} and {@code
 *       mandate_id}, times as RFC 3339 strings, plus {@code correlation_id} when the request had
 *       one. Events never carry secrets (an API key event names the key id only), so neither do
 *       details.
 * </ul>
 */
public final class LedgerEventMapper {

  private static final Pattern WORD_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");

  /** Payload to details: snake_case, ISO-8601 times, no nulls dropped (null is a fact too). */
  private static final ObjectMapper DETAILS =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .build();

  private LedgerEventMapper() {}

  /**
   * The entry for {@code message}.
   *
   * @throws IllegalArgumentException if the payload is not a {@link TenantEvent}
   */
  public static PendingEntry toPending(EventMessage<?> message) {
    if (!(message.getPayload() instanceof TenantEvent event)) {
      throw new IllegalArgumentException(
          "only tenant events are chained, not " + message.getPayloadType().getName());
    }
    String mandateId = event instanceof MandateEvent m ? m.mandateId() : null;

    ObjectNode details = DETAILS.valueToTree(event);
    details.remove("tenant_id");
    details.remove("mandate_id");
    Object correlation = message.getMetaData().get(EventMetadata.CORRELATION_ID);
    if (correlation != null && !details.has("correlation_id")) {
      details.put("correlation_id", correlation.toString());
    }

    Map<String, Object> actor = new LinkedHashMap<>();
    actor.put("type", text(message.getMetaData().get(EventMetadata.ACTOR_TYPE), "system"));
    actor.put("id", text(message.getMetaData().get(EventMetadata.ACTOR_ID), "unknown"));

    return new PendingEntry(
        Ids.eventId(message.getIdentifier(), message.getTimestamp()),
        event.tenantId(),
        mandateId,
        eventType(event.getClass()),
        message.getTimestamp(),
        write(actor),
        details.toString());
  }

  /** {@code MandateCreatedEvent} → {@code MANDATE_CREATED}; {@code KMSKeyRotatedEvent} → {@code KMS_KEY_ROTATED}. */
  public static String eventType(Class<?> payloadType) {
    String name = payloadType.getSimpleName();
    if (name.endsWith("Event")) {
      name = name.substring(0, name.length() - "Event".length());
    }
    return WORD_BOUNDARY.matcher(name).replaceAll("_").toUpperCase(java.util.Locale.ROOT);
  }

  private static String text(Object value, String fallback) {
    return value == null || value.toString().isEmpty() ? fallback : value.toString();
  }

  private static String write(Object value) {
    try {
      return DETAILS.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write ledger JSON", e);
    }
  }
}
