package com.mandateregistry.ledger.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.api.Ids;
import com.mandateregistry.api.web.ApiException;
import com.mandateregistry.api.web.Caller;
import com.mandateregistry.api.web.CursorCodec;
import com.mandateregistry.api.web.ErrorDetail;
import com.mandateregistry.api.web.PageRequest;
import com.mandateregistry.api.web.Pagination;
import com.mandateregistry.ledger.ChainHead;
import com.mandateregistry.ledger.LedgerPage;
import com.mandateregistry.ledger.LedgerQuery;
import com.mandateregistry.ledger.LedgerRepository;
import com.mandateregistry.ledger.format.LedgerJson;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail (004 "Events"), always of the caller's tenant only, in ascending chain sequence.
 * Each event is the ledger entry as {@link LedgerJson} writes it: 004's fields plus {@code
 * sequence}, {@code key_id}, {@code hash_algorithm}, {@code signing_algorithm} and, for a
 * batch-signed entry, {@code merkle_proof}: exactly what a verifier needs (docs/ledger-format.md).
 *
 * <p>The ledger follows the event stream, so an event appears here shortly after the write that
 * caused it.
 */
@RestController
class LedgerEventController {

  private final LedgerRepository ledger;
  private final CursorCodec cursors;

  LedgerEventController(LedgerRepository ledger, CursorCodec cursors) {
    this.ledger = ledger;
    this.cursors = cursors;
  }

  /** The body of the event lists. */
  record EventList(List<JsonNode> events, Pagination pagination) {}

  @GetMapping("/v1/mandates/{id}/events")
  EventList mandateEvents(
      Caller caller,
      @PathVariable("id") String mandateId,
      @RequestParam(value = "limit", required = false) String limit,
      @RequestParam(value = "cursor", required = false) String cursor) {
    if (!Ids.isValid(Ids.MANDATE, mandateId)) {
      throw ApiException.notFound("mandate", mandateId);
    }
    String scope = "mandate-events:" + caller.tenantId() + ":" + mandateId;
    PageRequest page = PageRequest.of(limit, cursor, cursors, scope);
    LedgerPage found =
        ledger.find(LedgerQuery.mandate(caller.tenantId(), mandateId, after(page), page.limit()));
    if (found.entries().isEmpty()
        && ledger.find(LedgerQuery.mandate(caller.tenantId(), mandateId, 0, 1)).entries().isEmpty()) {
      // no entry of this tenant names the mandate: unknown here, or another tenant's
      throw ApiException.notFound("mandate", mandateId);
    }
    return list(found, scope);
  }

  @GetMapping("/v1/events")
  EventList tenantEvents(
      Caller caller,
      @RequestParam(value = "event_type", required = false) String eventType,
      @RequestParam(value = "limit", required = false) String limit,
      @RequestParam(value = "cursor", required = false) String cursor) {
    if (eventType != null && !LedgerEventTypes.ALL.contains(eventType)) {
      throw ApiException.badRequest(
          "event_type is not one of " + String.join(", ", LedgerEventTypes.ALL),
          new ErrorDetail(eventType, "unknown event type", "event_type", "query"));
    }
    String scope = "events:" + caller.tenantId() + ":" + (eventType == null ? "" : eventType);
    PageRequest page = PageRequest.of(limit, cursor, cursors, scope);
    LedgerPage found =
        ledger.find(new LedgerQuery(caller.tenantId(), null, eventType, after(page), page.limit()));
    return list(found, scope);
  }

  @GetMapping("/v1/events/{id}")
  JsonNode event(Caller caller, @PathVariable("id") String eventId) {
    if (!Ids.isValid(Ids.EVENT, eventId)) {
      throw ApiException.notFound("event", eventId);
    }
    return ledger
        .findByEventId(caller.tenantId(), eventId)
        .map(LedgerJson::toObject)
        .orElseThrow(() -> ApiException.notFound("event", eventId));
  }

  /**
   * The head of the caller's chain: its last sequence and event_hash. A verifier that records it
   * can later detect a truncated export ({@code ledger verify --expect-head}).
   */
  @GetMapping("/v1/ledger/head")
  ObjectNode head(Caller caller) {
    ChainHead head = ledger.findHead(caller.tenantId()).orElse(ChainHead.empty(caller.tenantId()));
    ObjectNode body = LedgerJson.mapper().createObjectNode();
    body.put("tenant_id", head.tenantId());
    body.put("sequence", head.sequence());
    body.put("event_hash", head.eventHash());
    return body;
  }

  /**
   * The public keys that sign ledger entries, current and retired, as a JWK Set: {@code kid} (the
   * RFC 7638 thumbprint), {@code alg} ES256, {@code nbf} and, for a retired key, {@code exp}.
   * Public: verifiers need no credential.
   */
  @GetMapping(value = "/v1/ledger/keys", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<ObjectNode> keys() {
    return ResponseEntity.ok()
        .cacheControl(CacheControl.noCache())
        .body(ledger.findKeys().toJwkSet());
  }

  private EventList list(LedgerPage found, String scope) {
    List<JsonNode> events = found.entries().stream().map(e -> (JsonNode) LedgerJson.toObject(e)).toList();
    String next =
        found.nextAfterSequence().isPresent()
            ? cursors.encode(scope, Long.toString(found.nextAfterSequence().getAsLong()))
            : null;
    return new EventList(events, new Pagination(next, found.hasMore()));
  }

  private static long after(PageRequest page) {
    if (page.after() == null) {
      return 0;
    }
    try {
      return Long.parseLong(page.after());
    } catch (NumberFormatException e) {
      // only our own HMAC-tagged cursors reach here; a non-number is a cursor of another format
      throw ApiException.badRequest(
          "cursor is not valid for this list",
          new ErrorDetail(page.after(), "not a cursor issued for this list", "cursor", "query"));
    }
  }
}
