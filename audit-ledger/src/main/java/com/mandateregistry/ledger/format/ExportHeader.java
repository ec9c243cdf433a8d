package com.mandateregistry.ledger.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The first line of an export file:
 *
 * <pre>
 * {"format":"mandate-registry/ledger-export/v1","tenant_id":"tnt_…","exported_at":"…",
 *  "source":"database"|"api","keys":[JWK, …]}
 * </pre>
 *
 * followed by one entry per line ({@link LedgerJson}) in ascending sequence. The keys in the header
 * are a convenience; a verifier that wants independent assurance pins its own key set.
 *
 * @param tenantId the tenant whose chain follows
 * @param exportedAt when the export was taken
 * @param source {@code database} or {@code api}
 * @param keys the public keys that signed the entries
 */
public record ExportHeader(String tenantId, Instant exportedAt, String source, LedgerKeySet keys) {

  public ExportHeader {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(exportedAt, "exportedAt");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(keys, "keys");
  }

  /** The header as one line of JSON. */
  public String toJsonLine() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("format", LedgerFormat.EXPORT_FORMAT);
    node.put("tenant_id", tenantId);
    node.put("exported_at", LedgerFormat.formatTimestamp(LedgerFormat.truncate(exportedAt)));
    node.put("source", source);
    node.set("keys", keys.toJwkArray());
    try {
      return LedgerJson.mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a header line.
   *
   * @throws IllegalArgumentException if the line is not a v1 export header
   */
  public static ExportHeader parse(String line) {
    JsonNode node;
    try {
      node = LedgerJson.mapper().readTree(line);
    } catch (JsonProcessingException e) {
      // the parser's own words and column, without its source excerpt (callers print causes too)
      String where = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
      throw new IllegalArgumentException("header line is not JSON: " + e.getOriginalMessage() + where);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("header line is not a JSON object");
    }
    JsonNode format = node.get("format");
    if (format == null || !LedgerFormat.EXPORT_FORMAT.equals(format.asText())) {
      throw new IllegalArgumentException(
          "not a ledger export: the first line's \"format\" is not \"" + LedgerFormat.EXPORT_FORMAT + "\"");
    }
    return new ExportHeader(
        text(node, "tenant_id"),
        LedgerFormat.parseTimestamp(text(node, "exported_at")),
        text(node, "source"),
        LedgerKeySet.fromJson(node.get("keys")));
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException("header member \"" + name + "\" is missing");
    }
    return value.asText();
  }
}
