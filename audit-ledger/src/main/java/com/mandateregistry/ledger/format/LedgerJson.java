package com.mandateregistry.ledger.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An entry as a JSON object: one line of an export file and the shape of an event in the REST API.
 * Members, in the order written: {@code sequence, event_id, tenant_id, mandate_id, event_type,
 * timestamp, actor, details, previous_event_hash, event_hash, kms_signature, key_id,
 * hash_algorithm, signing_algorithm}, and {@code merkle_proof} for a batch-signed entry only.
 */
public final class LedgerJson {

  /**
   * Every member an entry object may have, in the order {@link #toObject} writes them; {@code
   * merkle_proof} is present only in batch-signed entries.
   */
  public static final List<String> FIELDS =
      List.of(
          "sequence",
          "event_id",
          "tenant_id",
          "mandate_id",
          "event_type",
          "timestamp",
          "actor",
          "details",
          "previous_event_hash",
          "event_hash",
          "kms_signature",
          "key_id",
          "hash_algorithm",
          "signing_algorithm",
          "merkle_proof");

  private LedgerJson() {}

  /**
   * The JSON mapper the ledger reads entries with: duplicate member names and trailing content are
   * refused.
   */
  public static ObjectMapper mapper() {
    return LedgerEntryCodec.MAPPER;
  }

  /** The entry as a JSON object (actor and details as nested objects). */
  public static ObjectNode toObject(LedgerEntry entry) {
    ObjectNode hashed = LedgerEntryCodec.hashedFields(entry.unsigned());
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    for (String name : FIELDS) {
      switch (name) {
        case "event_hash" -> node.put(name, entry.eventHash());
        case "kms_signature" -> node.put(name, entry.kmsSignature());
        case "merkle_proof" -> {
          if (entry.merkleProof() != null) {
            node.set(name, entry.merkleProof().toObject());
          }
        }
        default -> node.set(name, hashed.get(name));
      }
    }
    return node;
  }

  /** The entry as one line of JSON (no line break). */
  public static String toJsonLine(LedgerEntry entry) {
    try {
      return mapper().writeValueAsString(toObject(entry));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write entry " + entry.eventId(), e);
    }
  }

  /**
   * Reads an entry object strictly: every member present with its type, no unknown members, and a
   * {@code merkle_proof} exactly when the signing algorithm is {@value
   * LedgerFormat#SIGNING_ALGORITHM_MERKLE}.
   *
   * @throws MalformedEntryException otherwise
   */
  public static LedgerEntry fromObject(JsonNode node) throws MalformedEntryException {
    ObjectNode hashed = LedgerEntryCodec.hashedFieldsOf(node);
    JsonNode eventHash = node.get("event_hash");
    JsonNode signature = node.get("kms_signature");
    if (eventHash == null || !eventHash.isTextual()) {
      throw new MalformedEntryException("missing or non-string member \"event_hash\"");
    }
    if (signature == null || !signature.isTextual()) {
      throw new MalformedEntryException("missing or non-string member \"kms_signature\"");
    }
    JsonNode proof = node.get("merkle_proof");
    MerkleProof merkleProof = proof == null ? null : MerkleProof.fromObject(proof);
    try {
      JsonNode mandate = hashed.get("mandate_id");
      return new LedgerEntry(
          hashed.get("sequence").asLong(),
          hashed.get("event_id").asText(),
          hashed.get("tenant_id").asText(),
          mandate.isNull() ? null : mandate.asText(),
          hashed.get("event_type").asText(),
          LedgerFormat.parseTimestamp(hashed.get("timestamp").asText()),
          LedgerEntryCodec.canonicalObject(hashed.get("actor").toString()),
          LedgerEntryCodec.canonicalObject(hashed.get("details").toString()),
          hashed.get("previous_event_hash").asText(),
          eventHash.asText(),
          signature.asText(),
          hashed.get("key_id").asText(),
          hashed.get("hash_algorithm").asText(),
          hashed.get("signing_algorithm").asText(),
          merkleProof);
    } catch (IllegalArgumentException e) {
      throw new MalformedEntryException(e.getMessage(), e);
    }
  }

  /** Parses one line of JSON with {@link #fromObject}. */
  public static LedgerEntry fromJsonLine(String line) throws MalformedEntryException {
    try {
      return fromObject(mapper().readTree(line));
    } catch (JsonProcessingException e) {
      throw new MalformedEntryException("not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
