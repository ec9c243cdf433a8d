package com.mandateregistry.ledger.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The public keys a verifier trusts, by key id; read from and written as a JWK set {@code {"keys":[…]}}. */
public final class LedgerKeySet {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Map<String, LedgerKey> keys;

  private LedgerKeySet(Map<String, LedgerKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  /**
   * @throws IllegalArgumentException if two keys share a key id
   */
  public static LedgerKeySet of(Collection<LedgerKey> keys) {
    Map<String, LedgerKey> byId = new LinkedHashMap<>();
    for (LedgerKey key : keys) {
      if (byId.putIfAbsent(key.keyId(), key) != null) {
        throw new IllegalArgumentException("key " + key.keyId() + " appears twice");
      }
    }
    return new LedgerKeySet(byId);
  }

  /**
   * Reads a JWK set, {@code {"keys":[…]}}, or a bare array of JWKs.
   *
   * @throws IllegalArgumentException if the JSON is not a JWK set of valid ledger keys
   */
  public static LedgerKeySet parse(String json) {
    try {
      return fromJson(LedgerJson.mapper().readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("key set is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** As {@link #parse(String)}, from parsed JSON. */
  public static LedgerKeySet fromJson(JsonNode json) {
    JsonNode array = json != null && json.isObject() ? json.get("keys") : json;
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("a JWK set is {\"keys\":[…]}");
    }
    Map<String, LedgerKey> byId = new LinkedHashMap<>();
    for (JsonNode item : array) {
      if (!item.isObject()) {
        throw new IllegalArgumentException("a JWK is a JSON object: " + item);
      }
      for (String time : new String[] {"nbf", "exp"}) {
        JsonNode value = item.get(time);
        // JWT NumericDate seconds, as an integer literal: a fraction would be cut, not compared
        if (value != null && !(value.isIntegralNumber() && value.canConvertToLong())) {
          throw new IllegalArgumentException("JWK " + (item.hasNonNull("kid") ? item.get("kid") + " " : "")
              + "member \"" + time + "\" is not an integer (seconds since the epoch): " + value);
        }
      }
      LedgerKey key = LedgerKey.fromJwk(LedgerJson.mapper().convertValue(item, MAP));
      if (byId.putIfAbsent(key.keyId(), key) != null) {
        throw new IllegalArgumentException("key " + key.keyId() + " appears twice");
      }
    }
    return new LedgerKeySet(byId);
  }

  public Optional<LedgerKey> find(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  public List<LedgerKey> keys() {
    return List.copyOf(keys.values());
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** The JWKs as a JSON array. */
  public ArrayNode toJwkArray() {
    ArrayNode array = JsonNodeFactory.instance.arrayNode();
    for (LedgerKey key : keys.values()) {
      array.add(LedgerJson.mapper().valueToTree(key.toJwk()));
    }
    return array;
  }

  /** {@code {"keys":[…]}}, the shape of {@code GET /v1/ledger/keys}. */
  public ObjectNode toJwkSet() {
    ObjectNode set = JsonNodeFactory.instance.objectNode();
    set.set("keys", toJwkArray());
    return set;
  }

  @Override
  public String toString() {
    return "LedgerKeySet" + keys.keySet();
  }
}
