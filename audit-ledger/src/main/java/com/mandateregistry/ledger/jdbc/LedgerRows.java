package com.mandateregistry.ledger.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mandateregistry.ledger.format.LedgerEntry;
import com.mandateregistry.ledger.format.LedgerFormat;
import com.mandateregistry.ledger.format.LedgerJson;
import com.mandateregistry.ledger.format.LedgerKey;
import com.mandateregistry.ledger.format.MerkleProof;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * SQL and row mapping of the ledger tables (see {@code db/migration/V200__audit_ledger.sql}), in
 * plain JDBC so that the CLI can use it without Spring.
 */
public final class LedgerRows {

  /** The entry columns, in the order {@link #entry} reads them. */
  public static final String ENTRY_COLUMNS =
      "tenant_id, sequence, event_id, mandate_id, event_type, event_timestamp, actor, details,"
          + " previous_event_hash, event_hash, kms_signature, key_id, hash_algorithm, signing_algorithm,"
          + " merkle_leaf_index, merkle_tree_size, merkle_path";

  /** A tenant's whole trail in chain order; one parameter, the tenant id. */
  public static final String SELECT_TRAIL =
      "SELECT " + ENTRY_COLUMNS + " FROM ledger_entry WHERE tenant_id = ? ORDER BY sequence";

  /** Every signing key, oldest first. */
  public static final String SELECT_KEYS =
      "SELECT key_id, public_jwk, not_before, not_after FROM ledger_signing_key ORDER BY not_before, key_id";

  private LedgerRows() {}

  /**
   * Maps a row of {@link #ENTRY_COLUMNS} strictly.
   *
   * @throws IllegalArgumentException if the row is not a valid entry
   */
  public static LedgerEntry entry(ResultSet rs) throws SQLException {
    return new LedgerEntry(
        rs.getLong("sequence"),
        rs.getString("event_id"),
        rs.getString("tenant_id"),
        rs.getString("mandate_id"),
        rs.getString("event_type"),
        instant(rs, "event_timestamp"),
        rs.getString("actor"),
        rs.getString("details"),
        rs.getString("previous_event_hash"),
        rs.getString("event_hash"),
        rs.getString("kms_signature"),
        rs.getString("key_id"),
        rs.getString("hash_algorithm"),
        rs.getString("signing_algorithm"),
        merkleProof(rs));
  }

  /** The batch proof of a row, or null for an entry signed on its own. */
  private static MerkleProof merkleProof(ResultSet rs) throws SQLException {
    byte[] path = rs.getBytes("merkle_path");
    if (path == null) {
      return null;
    }
    return MerkleProof.unpack(rs.getLong("merkle_leaf_index"), rs.getLong("merkle_tree_size"), path);
  }

  /**
   * Maps a row of {@link #ENTRY_COLUMNS} to an export line's JSON object as it is, without judging
   * it: a row altered in the database is exported as found, and the verifier says what is wrong.
   */
  public static ObjectNode exportObject(ResultSet rs) throws SQLException {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("sequence", rs.getLong("sequence"));
    node.put("event_id", rs.getString("event_id"));
    node.put("tenant_id", rs.getString("tenant_id"));
    node.put("mandate_id", rs.getString("mandate_id"));
    node.put("event_type", rs.getString("event_type"));
    Instant timestamp = instant(rs, "event_timestamp");
    node.put(
        "timestamp",
        timestamp.getNano() % 1_000_000 == 0
            ? LedgerFormat.formatTimestamp(timestamp)
            : DateTimeFormatter.ISO_INSTANT.format(timestamp));
    node.set("actor", jsonOrText(rs.getString("actor")));
    node.set("details", jsonOrText(rs.getString("details")));
    node.put("previous_event_hash", rs.getString("previous_event_hash"));
    node.put("event_hash", rs.getString("event_hash"));
    node.put("kms_signature", rs.getString("kms_signature"));
    node.put("key_id", rs.getString("key_id"));
    node.put("hash_algorithm", rs.getString("hash_algorithm"));
    node.put("signing_algorithm", rs.getString("signing_algorithm"));
    byte[] path = rs.getBytes("merkle_path");
    if (path != null) {
      ObjectNode proof = node.putObject("merkle_proof");
      proof.put("leaf_index", rs.getLong("merkle_leaf_index"));
      proof.put("tree_size", rs.getLong("merkle_tree_size"));
      MerkleProof.hexElements(path).forEach(proof.putArray("path")::add);
    }
    return node;
  }

  /** Maps a row of {@link #SELECT_KEYS}; the JWK gets the row's validity as nbf / exp. */
  public static LedgerKey key(ResultSet rs) throws SQLException {
    LedgerKey published = LedgerKey.fromJwk(rs.getString("public_jwk"));
    if (!published.keyId().equals(rs.getString("key_id"))) {
      throw new IllegalStateException(
          "ledger_signing_key " + rs.getString("key_id") + " holds the JWK of " + published.keyId());
    }
    OffsetDateTime notAfter = rs.getObject("not_after", OffsetDateTime.class);
    return LedgerKey.of(
        published.publicKey(),
        instant(rs, "not_before"),
        notAfter == null ? null : notAfter.toInstant());
  }

  /** Binds an instant as {@code timestamptz}. */
  public static void setInstant(PreparedStatement ps, int index, Instant instant) throws SQLException {
    ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  public static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static JsonNode jsonOrText(String text) {
    try {
      JsonNode node = LedgerJson.mapper().readTree(text);
      return node == null ? JsonNodeFactory.instance.textNode(text) : node;
    } catch (java.io.IOException e) {
      return JsonNodeFactory.instance.textNode(text);
    }
  }
}
