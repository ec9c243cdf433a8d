package com.mandateregistry.ledger.format;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Constants and primitive encodings of the ledger format (those of v1, which v2 keeps), as
 * written down in {@code docs/ledger-format.md}.
 *
 * <ul>
 *   <li>Hashes: SHA-256, written as 64 lowercase hexadecimal characters.
 *   <li>Signatures: ECDSA P-256 over SHA-256 ("ES256"), ASN.1 DER, written base64url without
 *       padding (RFC 4648 section 5).
 *   <li>Timestamps: RFC 3339 in UTC with exactly three fractional digits, {@code
 *       yyyy-MM-ddTHH:mm:ss.SSSZ}; instants are truncated to the millisecond.
 *   <li>Genesis: the {@code previous_event_hash} of sequence 1 is 64 ASCII zeros.
 * </ul>
 */
public final class LedgerFormat {

  /** Domain-separation prefix and version of the hashed entry encoding (ASCII, followed by 0x00). */
  public static final String ENTRY_DOMAIN = "mandate-registry/ledger-entry/v1";

  /** The {@code format} value of an export file's header line. */
  public static final String EXPORT_FORMAT = "mandate-registry/ledger-export/v1";

  /** {@code previous_event_hash} of the first entry (sequence 1) of every tenant chain. */
  public static final String GENESIS_HASH = "0".repeat(64);

  /** The only {@code hash_algorithm} of format v1. */
  public static final String HASH_ALGORITHM = "SHA-256";

  /**
   * {@code signing_algorithm} of an entry signed on its own (format v1): ECDSA P-256 with SHA-256
   * over the entry's encoding, DER signature.
   */
  public static final String SIGNING_ALGORITHM = "ES256";

  /**
   * {@code signing_algorithm} of a batch-signed entry (format v2, what the service writes): ECDSA
   * P-256 with SHA-256 over the {@link #batchStatement} of the {@link MerkleTree} of its append
   * batch; the entry carries its {@code merkle_proof}.
   */
  public static final String SIGNING_ALGORITHM_MERKLE = "ES256-MERKLE";

  /** Domain-separation prefix of the signed batch statement (ASCII, followed by 0x00). */
  public static final String BATCH_DOMAIN = "mandate-registry/ledger-batch/v2";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Pattern TIMESTAMP_SHAPE =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
  private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999Z");
  private static final HexFormat HEX = HexFormat.of();

  private LedgerFormat() {}

  /** The instant truncated to the millisecond, as the ledger keeps it. */
  public static Instant truncate(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * Formats an instant as a v1 timestamp, for example {@code 2025-03-01T09:30:00.120Z}.
   *
   * @throws IllegalArgumentException if the instant has sub-millisecond digits or lies outside years
   *     0000..9999
   */
  public static String formatTimestamp(Instant instant) {
    if (instant.getNano() % 1_000_000 != 0) {
      throw new IllegalArgumentException("ledger timestamps have millisecond precision: " + instant);
    }
    if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
      throw new IllegalArgumentException("timestamp outside years 0000..9999: " + instant);
    }
    return TIMESTAMP.format(instant);
  }

  /**
   * Parses a v1 timestamp; only the exact shape that {@link #formatTimestamp} writes is accepted.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static Instant parseTimestamp(String text) {
    Instant fast = parseValidTimestamp(text);
    return fast != null ? fast : parseTimestampSlowly(text);
  }

  /**
   * The instant of a well-formed, valid timestamp, read without the formatter; null for anything
   * else (which {@link #parseTimestampSlowly} then refuses with its message). Accepts exactly what
   * {@link #parseTimestampSlowly} accepts, with the same instant ({@code LedgerFormatTest}).
   */
  static Instant parseValidTimestamp(String text) {
    if (text == null || text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-'
        || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':'
        || text.charAt(19) != '.' || text.charAt(23) != 'Z') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int millis = digits(text, 20, 3);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0
        || minute > 59 || second < 0 || second > 59 || millis < 0
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    return java.time.LocalDateTime.of(year, month, day, hour, minute, second, millis * 1_000_000)
        .toInstant(ZoneOffset.UTC);
  }

  /** The value of {@code count} ASCII digits at {@code from}, or -1 if one is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** {@link #parseTimestamp} with the formatter: the reference, and the messages for refusals. */
  static Instant parseTimestampSlowly(String text) {
    if (text == null || !TIMESTAMP_SHAPE.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "timestamp is not of the form yyyy-MM-ddTHH:mm:ss.SSSZ: " + text);
    }
    try {
      Instant instant = TIMESTAMP.parse(text, Instant::from);
      if (!TIMESTAMP.format(instant).equals(text)) {
        throw new IllegalArgumentException("timestamp is not a valid date and time: " + text);
      }
      return instant;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("timestamp is not a valid date and time: " + text, e);
    }
  }

  /** Whether {@code text} is 64 lowercase hexadecimal characters. */
  public static boolean isHash(String text) {
    if (text == null || text.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /** SHA-256 of {@code data}. */
  public static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** Lowercase hexadecimal. */
  public static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Parses lowercase or uppercase hexadecimal. */
  public static byte[] unhex(String hex) {
    return HEX.parseHex(hex);
  }

  /** Base64url without padding. */
  public static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Decodes base64url without padding; any other spelling (padding, the standard alphabet, white
   * space) is refused, so that one signature has exactly one text form.
   *
   * @throws IllegalArgumentException if {@code text} is not canonical unpadded base64url
   */
  public static byte[] unbase64Url(String text) {
    byte[] bytes = Base64.getUrlDecoder().decode(text);
    if (!base64Url(bytes).equals(text)) {
      throw new IllegalArgumentException("not canonical unpadded base64url");
    }
    return bytes;
  }

  /**
   * The bytes a batch signature signs: {@link #BATCH_DOMAIN} in ASCII (32 bytes), 0x00, the tree
   * size as an unsigned 64-bit big-endian integer, and the 32-byte tree root; 73 bytes.
   */
  public static byte[] batchStatement(long treeSize, byte[] root) {
    if (treeSize < 1 || root.length != MerkleTree.HASH_BYTES) {
      throw new IllegalArgumentException("a batch statement names a tree of at least one leaf and its 32-byte root");
    }
    byte[] domain = BATCH_DOMAIN.getBytes(StandardCharsets.US_ASCII);
    return java.nio.ByteBuffer.allocate(domain.length + 1 + 8 + root.length)
        .put(domain).put((byte) 0).putLong(treeSize).put(root).array();
  }

  /** The domain-separation prefix followed by the 0x00 separator: the first bytes of every encoding. */
  static byte[] entryPrefix() {
    byte[] domain = ENTRY_DOMAIN.getBytes(StandardCharsets.US_ASCII);
    byte[] prefix = new byte[domain.length + 1];
    System.arraycopy(domain, 0, prefix, 0, domain.length);
    return prefix;
  }
}
