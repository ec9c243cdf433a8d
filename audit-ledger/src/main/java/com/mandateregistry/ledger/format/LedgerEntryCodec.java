package com.mandateregistry.ledger.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The canonical, versioned byte encoding of a ledger entry, and its hash.
 *
 * <p>Byte by byte, {@code encode(entry)} is:
 *
 * <pre>
 *   ASCII "mandate-registry/ledger-entry/v1"   32 bytes, the domain-separation prefix and version
 *   0x00                                       1 byte, separator
 *   JCS(entry object)                          UTF-8, RFC 8785 canonical JSON
 * </pre>
 *
 * where the entry object has exactly these twelve members (JCS sorts them as listed):
 *
 * <pre>
 *   actor                JSON object
 *   details              JSON object
 *   event_id             string
 *   event_type           string, [A-Z][A-Z0-9_]*
 *   hash_algorithm       string, "SHA-256"
 *   key_id               string, RFC 7638 thumbprint (base64url) of the signing key's public JWK
 *   mandate_id           string, or null when the event concerns no mandate (never left out)
 *   previous_event_hash  string, 64 lowercase hex; 64 "0" for sequence 1
 *   sequence             integer, 1, 2, 3, … per tenant
 *   signing_algorithm    string, "ES256"
 *   tenant_id            string
 *   timestamp            string, RFC 3339 UTC with milliseconds, "2025-03-01T09:30:00.120Z"
 * </pre>
 *
 * {@code event_hash} = lowercase hex of SHA-256(encode(entry)). {@code kms_signature} = ECDSA P-256
 * signature over the same bytes (so the signed digest IS the event hash; a KMS signs that digest with
 * MessageType=DIGEST), DER, base64url without padding. {@code event_hash} and {@code kms_signature}
 * themselves are not part of the encoding. JCS works on IEEE 754 doubles: numbers inside actor and
 * details are hashed as their shortest ECMAScript form, so keep integers within ±2^53.
 *
 * <p>The encoding is deterministic: the same entry always gives the same bytes and the same hash.
 * ECDSA signatures are randomised, so two signatures over one entry differ; both verify.
 */
public final class LedgerEntryCodec {

  /** The hashed members, in the order JCS writes them. */
  public static final List<String> HASHED_FIELDS =
      List.of(
          "actor",
          "details",
          "event_id",
          "event_type",
          "hash_algorithm",
          "key_id",
          "mandate_id",
          "previous_event_hash",
          "sequence",
          "signing_algorithm",
          "tenant_id",
          "timestamp");

  private static final byte[] PREFIX = LedgerFormat.entryPrefix();

  /** Jackson set up to refuse duplicate member names, so that what is hashed is what is shown. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // keep numbers as written (JCS then reads them as doubles itself); never turn an
          // out-of-range number into the string "Infinity"
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          // keep 1.0 as 1.0 (not 1), so that messages show numbers as they were written; JCS
          // reads the same double either way
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private LedgerEntryCodec() {}

  /** The bytes that are hashed and signed, see the class comment. */
  public static byte[] encode(UnsignedEntry entry) {
    try {
      return encodeHashedFields(hashedFields(entry));
    } catch (MalformedEntryException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Lowercase hex SHA-256 of {@link #encode(UnsignedEntry)}. */
  public static String eventHash(UnsignedEntry entry) {
    return LedgerFormat.hex(LedgerFormat.sha256(encode(entry)));
  }

  /** The JCS text of the entry object (the encoding without prefix and separator). */
  public static String canonicalJson(UnsignedEntry entry) {
    try {
      return canonicalize(MAPPER.writeValueAsString(hashedFields(entry)));
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The twelve hashed members of {@code entry} as a JSON object. */
  public static ObjectNode hashedFields(UnsignedEntry entry) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.set("actor", parseObject(entry.actor(), "actor"));
    node.set("details", parseObject(entry.details(), "details"));
    node.put("event_id", entry.eventId());
    node.put("event_type", entry.eventType());
    node.put("hash_algorithm", entry.hashAlgorithm());
    node.put("key_id", entry.keyId());
    if (entry.mandateId() == null) {
      node.putNull("mandate_id");
    } else {
      node.put("mandate_id", entry.mandateId());
    }
    node.put("previous_event_hash", entry.previousEventHash());
    node.put("sequence", entry.sequence());
    node.put("signing_algorithm", entry.signingAlgorithm());
    node.put("tenant_id", entry.tenantId());
    node.put("timestamp", LedgerFormat.formatTimestamp(entry.timestamp()));
    return node;
  }

  /**
   * Picks the twelve hashed members out of an entry as exported (which also holds {@code
   * event_hash} and {@code kms_signature}), verbatim, after checking their JSON types. This is what
   * the offline verifier hashes: the values in the file, not a re-formatted copy.
   *
   * @throws MalformedEntryException if a member is missing, has the wrong JSON type, or the entry
   *     has members that format v1 does not know
   */
  public static ObjectNode hashedFieldsOf(JsonNode entry) throws MalformedEntryException {
    checkMembers(entry);
    ObjectNode fields = JsonNodeFactory.instance.objectNode();
    for (String name : HASHED_FIELDS) {
      fields.set(name, entry.get(name));
    }
    return fields;
  }

  /**
   * The checks of {@link #hashedFieldsOf}, without copying anything: {@code entry} is an object
   * with only members of format v1 and the twelve hashed ones present, each of its JSON type.
   *
   * @throws MalformedEntryException if not, with the same message as {@link #hashedFieldsOf}
   */
  public static void checkMembers(JsonNode entry) throws MalformedEntryException {
    if (entry == null || !entry.isObject()) {
      throw new MalformedEntryException("entry is not a JSON object");
    }
    for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!LedgerJson.FIELDS.contains(name)) {
        throw new MalformedEntryException("unknown member \"" + name + "\" (not covered by the hash)");
      }
    }
    for (String name : HASHED_FIELDS) {
      JsonNode value = entry.get(name);
      if (value == null) {
        throw new MalformedEntryException("missing member \"" + name + "\"");
      }
      boolean ok =
          switch (name) {
            case "actor", "details" -> value.isObject();
            case "mandate_id" -> value.isTextual() || value.isNull();
            case "sequence" -> value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 1;
            default -> value.isTextual();
          };
      if (!ok) {
        throw new MalformedEntryException("member \"" + name + "\" has the wrong type or value: " + value);
      }
    }
  }

  /**
   * Prefix, separator and JCS of a JSON object holding the hashed members (as from {@link
   * #hashedFields} or {@link #hashedFieldsOf}).
   *
   * @throws MalformedEntryException if the object cannot be canonicalised (for example a number
   *     outside the range of a double)
   */
  public static byte[] encodeHashedFields(ObjectNode fields) throws MalformedEntryException {
    JcsEncoder out = new JcsEncoder();
    out.appendRaw(PREFIX);
    try {
      out.write(fields);
    } catch (IOException | RuntimeException e) {
      throw new MalformedEntryException("cannot canonicalise entry: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /**
   * Writes the encoding (prefix, separator, JCS of the twelve hashed members) of an entry as
   * exported, which also holds {@code event_hash} and {@code kms_signature}, into {@code out}
   * (after {@link JcsEncoder#reset}). The same bytes as {@code encodeHashedFields(hashedFieldsOf(
   * entry))}, without the copy; call {@link #checkMembers} first.
   *
   * @throws MalformedEntryException if the members cannot be canonicalised
   */
  public static void encodeEntry(JsonNode entry, JcsEncoder out) throws MalformedEntryException {
    out.reset().appendRaw(PREFIX).writeByte('{');
    try {
      boolean first = true;
      for (String name : HASHED_FIELDS) { // already in JCS order
        if (!first) {
          out.writeByte(',');
        }
        first = false;
        out.writeName(name).write(entry.get(name));
      }
    } catch (IOException | RuntimeException e) {
      throw new MalformedEntryException("cannot canonicalise entry: " + e.getMessage(), e);
    }
    out.writeByte('}');
  }

  /**
   * RFC 8785 canonical form of a JSON object text, as kept in {@link UnsignedEntry#actor()} and
   * {@link UnsignedEntry#details()}.
   *
   * @throws IllegalArgumentException if {@code json} is not a JSON object or cannot be
   *     canonicalised
   */
  public static String canonicalObject(String json) {
    JsonNode node = parseObject(json, "value");
    JcsEncoder out = ENCODER.get().reset();
    try {
      // straight from the tree: the same text as the library's canonicaliser (JcsEncoderTest),
      // without writing the tree out and parsing it again
      out.write(node);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot canonicalise JSON: " + e.getMessage(), e);
    }
    return out.toUtf8String();
  }

  /**
   * {@link #encode(UnsignedEntry)} for an entry whose {@code actor} and {@code details} are already
   * {@link #canonicalObject canonical} text, as {@link com.mandateregistry.ledger.PendingEntry}
   * makes them: the same bytes, with the two objects copied instead of parsed and written again.
   * (For anything else use {@link #encode}, which canonicalises them.)
   */
  public static byte[] encodeCanonical(UnsignedEntry entry) {
    if (entry.sequence() > 1L << 53) {
      return encode(entry); // JCS writes such a number as the nearest double, not its digits
    }
    JcsEncoder out = ENCODER.get().reset();
    out.appendRaw(PREFIX).writeByte('{');
    // the members in JCS order, as HASHED_FIELDS lists them
    out.writeName("actor").appendUtf8(entry.actor()).writeByte(',');
    out.writeName("details").appendUtf8(entry.details()).writeByte(',');
    out.writeName("event_id").writeString(entry.eventId()).writeByte(',');
    out.writeName("event_type").writeString(entry.eventType()).writeByte(',');
    out.writeName("hash_algorithm").writeString(entry.hashAlgorithm()).writeByte(',');
    out.writeName("key_id").writeString(entry.keyId()).writeByte(',');
    out.writeName("mandate_id");
    if (entry.mandateId() == null) {
      out.appendUtf8("null");
    } else {
      out.writeString(entry.mandateId());
    }
    out.writeByte(',');
    out.writeName("previous_event_hash").writeString(entry.previousEventHash()).writeByte(',');
    out.writeName("sequence").appendUtf8(Long.toString(entry.sequence())).writeByte(',');
    out.writeName("signing_algorithm").writeString(entry.signingAlgorithm()).writeByte(',');
    out.writeName("tenant_id").writeString(entry.tenantId()).writeByte(',');
    out.writeName("timestamp").writeString(LedgerFormat.formatTimestamp(entry.timestamp()));
    return out.writeByte('}').toByteArray();
  }

  /** One encoder per thread, reused (it keeps its buffer). */
  private static final ThreadLocal<JcsEncoder> ENCODER = ThreadLocal.withInitial(JcsEncoder::new);

  private static String canonicalize(String json) throws IOException {
    try {
      return new JsonCanonicalizer(json).getEncodedString();
    } catch (RuntimeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static JsonNode parseObject(String json, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    return node;
  }
}
