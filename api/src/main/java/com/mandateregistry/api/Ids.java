package com.mandateregistry.api;

import com.github.f4b6a3.ulid.Ulid;
import com.github.f4b6a3.ulid.UlidCreator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Public identifiers: a type prefix followed by a ULID, for example {@code mdt_01HXYZ…}. */
public final class Ids {

  public static final String MANDATE = "mdt_";
  public static final String EVENT = "evt_";
  public static final String TENANT = "tnt_";
  public static final String REQUEST = "req_";
  public static final String KEY = "key_";

  private static final Pattern ULID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");

  private Ids() {}

  /** A new, time-ordered id with the given prefix. */
  public static String next(String prefix) {
    return prefix + UlidCreator.getMonotonicUlid();
  }

  /**
   * The public id of a stored event: {@code evt_} followed by a ULID whose 48-bit time part is
   * {@code timestamp} in milliseconds and whose 80-bit random part is the first 10 bytes of
   * SHA-256 over the UTF-8 bytes of {@code messageIdentifier} (the event store's identifier of the
   * event message). The same event therefore always gets the same id, on every node and in every
   * replay, and ids sort by time like every other id.
   */
  public static String eventId(String messageIdentifier, Instant timestamp) {
    byte[] digest;
    try {
      digest =
          MessageDigest.getInstance("SHA-256")
              .digest(messageIdentifier.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    return EVENT + new Ulid(timestamp.toEpochMilli(), Arrays.copyOf(digest, 10));
  }

  /** Whether {@code id} is the prefix followed by a well-formed ULID. */
  public static boolean isValid(String prefix, String id) {
    return id != null
        && id.length() == prefix.length() + 26
        && id.startsWith(prefix)
        && ULID.matcher(id.substring(prefix.length())).matches();
  }
}
