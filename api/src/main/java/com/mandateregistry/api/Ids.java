package com.mandateregistry.api;

import com.github.f4b6a3.ulid.UlidCreator;
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

  /** Whether {@code id} is the prefix followed by a well-formed ULID. */
  public static boolean isValid(String prefix, String id) {
    return id != null
        && id.length() == prefix.length() + 26
        && id.startsWith(prefix)
        && ULID.matcher(id.substring(prefix.length())).matches();
  }
}
